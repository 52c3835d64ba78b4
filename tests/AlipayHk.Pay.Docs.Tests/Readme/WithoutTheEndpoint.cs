using System.Text;
using AlipayHk.Pay;
using AlipayHk.Pay.Docs.Tests.Support;
using AlipayHk.Pay.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

// docs/webhooks.md, "Without the ASP.NET Core endpoint": the block, run on a callback the simulator signed.
public class WithoutTheEndpointTests
{
    [Fact]
    public async Task A_callback_is_verified_then_confirmed_with_the_gateway()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: ct);
        gateway.DeliverCallbacksTo(new AcceptingEndpoint());
        await using ServiceProvider services = new ServiceCollection().AddLogging().AddAlipayHkPay(gateway.ConfigureClient).BuildServiceProvider();
        await services.GetRequiredService<IAlipayHkPayClient>().CreatePaymentAsync(new CreatePaymentRequest
        {
            Amount = 12.50m, MerchantOrderId = "ORDER-7", Description = "Two coffees",
            Wallet = AlipayHkWallet.AlipayHk, NotifyUrl = new Uri("http://localhost/webhooks/alipayhk"),
        }, ct);
        await gateway.CompletePaymentAsync("ORDER-7", ct);
        CallbackDelivery callback = gateway.CallbackDeliveries.Single();

        (WebhookNotification notification, ConfirmedWebhook webhook) = await VerifyAndConfirmAsync(
            gateway.WebhookKey, Encoding.UTF8.GetBytes(callback.Body), callback.Signature, services, ct);

        Assert.Equal("ORDER-7", notification.MerchantOrderId);
        Assert.Equal(PaymentStatus.Succeeded, webhook.Status);
    }

    private static async Task<(WebhookNotification, ConfirmedWebhook)> VerifyAndConfirmAsync(
        string webhookKey, byte[] rawBodyBytes, string signatureHeaderValue, IServiceProvider services, CancellationToken cancellationToken)
    {
        // Verify and parse only (no DI needed):
        var verifier = new AlipayHkPayWebhookVerifier(webhookKey);
        WebhookNotification notification = verifier.Verify(rawBodyBytes, signatureHeaderValue);

        // Verify, then confirm with the gateway (registered by AddAlipayHkPay):
        IAlipayHkPayWebhookProcessor processor = services.GetRequiredService<IAlipayHkPayWebhookProcessor>();
        ConfirmedWebhook webhook = await processor.ProcessAsync(rawBodyBytes, signatureHeaderValue, cancellationToken);
        return (notification, webhook);
    }

}
