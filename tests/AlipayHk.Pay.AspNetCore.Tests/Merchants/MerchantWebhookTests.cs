using System.Collections.Concurrent;
using AlipayHk.Pay.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.AspNetCore.Tests.Merchants;

/// <summary>One webhook endpoint per merchant: each verifies with its own merchant's key and confirms with its client.</summary>
public sealed class MerchantWebhookTests
{
    [Fact]
    public async Task Each_merchants_endpoint_confirms_its_callbacks_and_says_whose_they_were_with_either_handler_shape()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        var handled = new ConcurrentQueue<(string Endpoint, ConfirmedWebhook Webhook)>();
        await using Shops shops = await Shops.StartAsync(simulator, handled);

        PaymentIntent a = await shops.Client(TwoShops.A).CreatePaymentAsync(TwoShops.Sale("WA-1", shops.NotifyUrl(TwoShops.A)), Ct);
        PaymentIntent b = await shops.Client(TwoShops.B).CreatePaymentAsync(TwoShops.Sale("WB-1", shops.NotifyUrl(TwoShops.B)), Ct);
        await simulator.CompletePaymentAsync(a.OrderId, Ct);
        await simulator.CompletePaymentAsync(b.OrderId, Ct);

        Assert.Equal(200, simulator.CallbackDeliveries.Single(d => d.OrderId == a.OrderId).StatusCode);
        Assert.Equal(200, simulator.CallbackDeliveries.Single(d => d.OrderId == b.OrderId).StatusCode);
        Assert.Equal(2, handled.Count);
        (string endpointA, ConfirmedWebhook webhookA) = handled.Single(h => h.Webhook.Payment!.OrderId == a.OrderId);
        (string endpointB, ConfirmedWebhook webhookB) = handled.Single(h => h.Webhook.Payment!.OrderId == b.OrderId);
        Assert.Equal((TwoShops.A, TwoShops.A, PaymentStatus.Succeeded), (endpointA, webhookA.MerchantName, webhookA.Status));
        Assert.Equal((TwoShops.B, TwoShops.B, PaymentStatus.Succeeded), (endpointB, webhookB.MerchantName, webhookB.Status));
    }

    [Fact]
    public async Task A_callback_signed_with_another_merchants_key_is_rejected_401_and_not_handled()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        var handled = new ConcurrentQueue<(string Endpoint, ConfirmedWebhook Webhook)>();
        await using Shops shops = await Shops.StartAsync(simulator, handled);

        // Shop B's payment, its callback (signed with B's key) sent to shop A's endpoint.
        PaymentIntent b = await shops.Client(TwoShops.B).CreatePaymentAsync(TwoShops.Sale("WX-1", shops.NotifyUrl(TwoShops.A)), Ct);
        await simulator.CompletePaymentAsync(b.OrderId, Ct);

        CallbackDelivery delivery = simulator.CallbackDeliveries.Single(d => d.OrderId == b.OrderId);
        Assert.Equal(401, delivery.StatusCode);
        Assert.Empty(handled);
    }

    [Fact]
    public async Task The_default_merchants_endpoint_leaves_MerchantName_null()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        var handled = new ConcurrentQueue<ConfirmedWebhook>();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddAlipayHkPay(TwoShops.Configure(simulator, null));
        builder.Services.AddAlipayHkPay(TwoShops.B, TwoShops.Configure(simulator, TwoShops.B));
        (WebApplication app, Uri address) = await TwoShops.StartAppAsync(builder, app => app.MapAlipayHkPayWebhook("/notify", (webhook, _) =>
        {
            handled.Enqueue(webhook);
            return Task.CompletedTask;
        }));
        await using (app)
        {
            IAlipayHkPayClient client = app.Services.GetRequiredService<IAlipayHkPayClient>();
            PaymentIntent created = await client.CreatePaymentAsync(TwoShops.Sale("WD-1", new Uri(address, "/notify")), Ct);
            await simulator.CompletePaymentAsync(created.OrderId, Ct);

            ConfirmedWebhook webhook = Assert.Single(handled);
            Assert.Null(webhook.MerchantName);
            Assert.Equal(PaymentStatus.Succeeded, webhook.Status);
        }
    }

    [Fact]
    public void Mapping_the_webhook_of_a_merchant_that_was_never_registered_fails_naming_it()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddAlipayHkPay(TwoShops.A, o =>
        {
            o.BaseAddress = new Uri("http://127.0.0.1:1/");
            o.Uid = "1";
            o.ClientSecret = "s";
        });
        WebApplication app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapAlipayHkPayWebhook("/c/notify", "shop-c", (_, _) => Task.CompletedTask));

        Assert.Contains("'shop-c'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>An app with shop A and shop B, each with its webhook endpoint: A's handler takes the token, B's the HttpContext.</summary>
    private sealed class Shops : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly Uri _address;

        private Shops(WebApplication app, Uri address)
        {
            _app = app;
            _address = address;
        }

        internal static async Task<Shops> StartAsync(AlipayHkGatewaySimulator simulator, ConcurrentQueue<(string, ConfirmedWebhook)> handled)
        {
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.Services.AddAlipayHkPay(TwoShops.A, TwoShops.Configure(simulator, TwoShops.A));
            builder.Services.AddAlipayHkPay(TwoShops.B, TwoShops.Configure(simulator, TwoShops.B));
            (WebApplication app, Uri address) = await TwoShops.StartAppAsync(builder, app =>
            {
                app.MapAlipayHkPayWebhook("/shop-a/notify", TwoShops.A, (webhook, _) =>
                {
                    handled.Enqueue((TwoShops.A, webhook));
                    return Task.CompletedTask;
                });
                app.MapAlipayHkPayWebhook("/shop-b/notify", TwoShops.B, (ConfirmedWebhook webhook, HttpContext context, CancellationToken _) =>
                {
                    Assert.NotNull(context.RequestServices.GetRequiredKeyedService<IAlipayHkPayClient>(TwoShops.B));
                    handled.Enqueue((TwoShops.B, webhook));
                    return Task.CompletedTask;
                });
            });
            return new Shops(app, address);
        }

        internal IAlipayHkPayClient Client(string merchant) => _app.Services.GetRequiredKeyedService<IAlipayHkPayClient>(merchant);

        internal Uri NotifyUrl(string merchant) => new(_address, $"/{merchant}/notify");

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }
}
