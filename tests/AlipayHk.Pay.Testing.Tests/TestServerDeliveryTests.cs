using System.Collections.Concurrent;
using AlipayHk.Pay.Testing.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AlipayHk.Pay.Testing.Tests;

/// <summary>
/// Callbacks delivered into an app's in-memory TestServer, set after the app is built, and the messages a test author
/// gets for each usual wiring mistake.
/// </summary>
public sealed class TestServerDeliveryTests
{
    private const string NotifyPath = "/payments/alipayhk/notify";

    [Fact]
    public async Task Callbacks_go_into_the_apps_test_server_once_it_is_named_even_for_a_retry_already_pending()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(new() { TimeProvider = clock }, Timeouts.Bounded());
        await using var app = await ShopAsync(services => services.AddAlipayHkPay(gateway.ConfigureClient));
        string orderId = await CreateAsync(app, "TS-1");

        // Not wired yet: the callback goes to the socket of http://localhost/, where nothing listens.
        await gateway.CompletePaymentAsync(orderId, Timeouts.Bounded());
        CallbackDelivery first = Assert.Single(gateway.CallbackDeliveries);
        var notWired = Assert.Throws<InvalidOperationException>(() => first.EnsureAccepted());
        Assert.Contains("DeliverCallbacksTo(server.CreateHandler())", notWired.Message, StringComparison.Ordinal);
        Assert.Contains("http://localhost", notWired.Message, StringComparison.Ordinal);

        gateway.DeliverCallbacksTo(app.App.GetTestServer().CreateHandler());
        clock.Advance(TimeSpan.FromSeconds(15));
        CallbackDelivery second = await gateway.WaitForCallbackAsync(orderId, attempt: 2, Timeouts.Bounded());

        Assert.Same(second, second.EnsureAccepted());
        ConfirmedWebhook handled = Assert.Single(app.Handled);
        Assert.Equal(PaymentStatus.Succeeded, handled.Status);
        Assert.Equal("TS-1", handled.Payment!.MerchantOrderId);
    }

    [Fact]
    public async Task A_notify_url_whose_path_has_no_webhook_endpoint_is_reported_as_such()
    {
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: Timeouts.Bounded());
        await using var app = await ShopAsync(services => services.AddAlipayHkPay(gateway.ConfigureClient));
        gateway.DeliverCallbacksTo(app.App.GetTestServer().CreateHandler());
        string orderId = await CreateAsync(app, "TS-404", notifyPath: "/webhooks/alipay");

        await gateway.CompletePaymentAsync(orderId, Timeouts.Bounded());

        var ex = Assert.Throws<InvalidOperationException>(() => gateway.CallbackDeliveries.Single().EnsureAccepted());
        Assert.Contains("HTTP 404: the app has no POST endpoint at /webhooks/alipay", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MapAlipayHkPayWebhook", ex.Message, StringComparison.Ordinal);
        Assert.Empty(app.Handled);
    }

    [Fact]
    public async Task An_app_configured_with_another_key_is_told_to_use_the_simulators_settings()
    {
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: Timeouts.Bounded());
        await using var app = await ShopAsync(services => services.AddAlipayHkPay(o =>
        {
            gateway.ConfigureClient(o);
            o.WebhookKey = "a-key-from-the-apps-own-settings";
        }));
        gateway.DeliverCallbacksTo(app.App.GetTestServer().CreateHandler());
        string orderId = await CreateAsync(app, "TS-401");

        await gateway.CompletePaymentAsync(orderId, Timeouts.Bounded());

        var ex = Assert.Throws<InvalidOperationException>(() => gateway.CallbackDeliveries.Single().EnsureAccepted());
        Assert.Contains("HTTP 401: the app rejected the callback's signature", ex.Message, StringComparison.Ordinal);
        Assert.Contains("gateway.ConfigureClient", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_test_server_stopped_before_the_callback_is_named_as_the_cause()
    {
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: Timeouts.Bounded());
        var app = await ShopAsync(services => services.AddAlipayHkPay(gateway.ConfigureClient));
        string orderId = await CreateAsync(app, "TS-GONE");
        gateway.DeliverCallbacksTo(app.App.GetTestServer().CreateHandler());
        await app.DisposeAsync();

        await gateway.CompletePaymentAsync(orderId, Timeouts.Bounded());

        CallbackDelivery delivery = gateway.CallbackDeliveries.Single();
        Assert.Null(delivery.StatusCode);
        Assert.Contains("DeliverCallbacksTo", delivery.Error, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => gateway.DeliverCallbacksTo(null!));
    }

    private static async Task<string> CreateAsync(Shop shop, string merchantOrderId, string notifyPath = NotifyPath)
    {
        PaymentIntent created = await shop.App.Services.GetRequiredService<IAlipayHkPayClient>().CreatePaymentAsync(
            new CreatePaymentRequest
            {
                Amount = 12.50m,
                MerchantOrderId = merchantOrderId,
                Description = "Two coffees",
                Wallet = AlipayHkWallet.AlipayHk,
                NotifyUrl = new Uri("http://localhost" + notifyPath),
            },
            Timeouts.Bounded());
        return created.OrderId;
    }

    private static async Task<Shop> ShopAsync(Action<IServiceCollection> configure)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        configure(builder.Services);
        var shop = new Shop(builder.Build());
        shop.App.MapAlipayHkPayWebhook(NotifyPath, (webhook, _) =>
        {
            shop.Handled.Enqueue(webhook);
            return Task.CompletedTask;
        });
        await shop.App.StartAsync(Timeouts.Bounded());
        return shop;
    }

    private sealed class Shop(WebApplication app) : IAsyncDisposable
    {
        public WebApplication App { get; } = app;

        public ConcurrentQueue<ConfirmedWebhook> Handled { get; } = new();

        public async ValueTask DisposeAsync()
        {
            await App.StopAsync(CancellationToken.None);
            await App.DisposeAsync();
        }
    }
}
