using System.Net.Http.Json;
using AlipayHk.Pay;
using AlipayHk.Pay.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

public class ShopWebhookTests
{
    [Fact]
    public async Task The_shopper_pays_and_the_webhook_marks_the_order_paid()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: ct);

        // 1. The app, in a TestServer, with its AlipayHkPay settings pointed at the simulator.
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            web.ConfigureServices(services => services.PostConfigure<AlipayHkPayOptions>(gateway.ConfigureClient)));
        HttpClient shop = factory.CreateClient();

        // 2. Now that the app is built: the simulator's callbacks go into its TestServer.
        gateway.DeliverCallbacksTo(factory.Server.CreateHandler());

        // 3. The shopper checks out, then pays; the callback reaches the app's webhook endpoint.
        HttpResponseMessage response = await shop.PostAsJsonAsync("/checkout", new Checkout(38.00m, "Milk tea x2"), ct);
        response.EnsureSuccessStatusCode();
        CheckoutResult checkout = (await response.Content.ReadFromJsonAsync<CheckoutResult>(ct))!;
        await gateway.CompletePaymentAsync(checkout.OrderId, ct);
        gateway.CallbackDeliveries.Single().EnsureAccepted(); // when not, the message says what is wrong

        Order? order = await shop.GetFromJsonAsync<Order>($"/orders/{checkout.OrderId}", ct);
        Assert.True(order!.Paid);
    }
}
