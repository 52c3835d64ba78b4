using AlipayHk.Pay;
using AlipayHk.Pay.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

public class CheckoutTests
{
    [Fact]
    public async Task Shopper_pays()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: ct);
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddAlipayHkPay(gateway.ConfigureClient) // BaseAddress, Uid, ClientSecret, WebhookKey, header name
            .BuildServiceProvider();
        var client = services.GetRequiredService<IAlipayHkPayClient>();

        PaymentIntent created = await client.CreatePaymentAsync(new CreatePaymentRequest
        {
            Amount = 12.50m, MerchantOrderId = "ORDER-1", Description = "Two coffees",
            Wallet = AlipayHkWallet.AlipayHk, NotifyUrl = new Uri("http://127.0.0.1:5000/webhooks/alipayhk"),
        }, ct);
        await gateway.CompletePaymentAsync(created.OrderId, ct);   // the shopper pays; the signed callback is sent

        PaymentIntent paid = await client.GetPaymentAsync(PaymentReference.ByOrderId(created.OrderId), ct);
        Assert.Equal(PaymentStatus.Succeeded, paid.Status);
    }
}
