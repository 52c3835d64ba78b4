using System.Net;
using System.Net.Http.Json;
using AlipayHk.Pay;
using AlipayHk.Pay.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace AlipayHk.Pay.Docs.Tests;

/// <summary>
/// The Shop sample run for real (Kestrel on 127.0.0.1, no TestServer, no DeliverCallbacksTo), as against the standalone
/// simulator: its notify URL is its own address, so the callback arrives; Shop:PublicUrl overrides it.
/// </summary>
public sealed class ShopNotifyUrlTests
{
    [Fact]
    public async Task Listening_on_loopback_the_shop_gives_its_own_address_as_notify_url_and_the_callback_arrives()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: ct);
        await using var factory = Shop(gateway, publicUrl: null);
        HttpClient shop = factory.CreateClient();

        CheckoutResult checkout = await CheckoutAsync(shop, ct);
        await gateway.CompletePaymentAsync(checkout.OrderId, ct);

        Uri notifyUrl = gateway.GetPayment(checkout.OrderId)!.NotifyUrl!;
        Assert.Equal((shop.BaseAddress!.Host, shop.BaseAddress.Port, "/payments/alipayhk/notify"), (notifyUrl.Host, notifyUrl.Port, notifyUrl.AbsolutePath));
        gateway.CallbackDeliveries.Single().EnsureAccepted();
        Assert.True((await shop.GetFromJsonAsync<Order>($"/orders/{checkout.OrderId}", ct))!.Paid);
    }

    [Fact]
    public async Task Shop_PublicUrl_is_the_notify_urls_address()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: ct);
        await using var factory = Shop(gateway, publicUrl: "https://shop.example.com/");
        HttpClient shop = factory.CreateClient();

        CheckoutResult checkout = await CheckoutAsync(shop, ct);

        Assert.Equal(new Uri("https://shop.example.com/payments/alipayhk/notify"), gateway.GetPayment(checkout.OrderId)!.NotifyUrl);
    }

    private static WebApplicationFactory<Program> Shop(AlipayHkGatewaySimulator gateway, string? publicUrl)
    {
        WebApplicationFactory<Program> factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Shop:PublicUrl", publicUrl);
            web.ConfigureServices(services => services.PostConfigure<AlipayHkPayOptions>(gateway.ConfigureClient));
        });
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        return factory;
    }

    private static async Task<CheckoutResult> CheckoutAsync(HttpClient shop, CancellationToken ct)
    {
        HttpResponseMessage response = await shop.PostAsJsonAsync("/checkout", new Checkout(38.00m, "Milk tea x2"), ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CheckoutResult>(ct))!;
    }
}
