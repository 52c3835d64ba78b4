using AlipayHk.Pay;
using Xunit;

// The handler, a class of its own, mapped with:
// app.MapAlipayHkPayWebhook("/payments/alipayhk/notify", (webhook, http, ct) =>
//     http.RequestServices.GetRequiredService<PaymentWebhookHandler>().HandleAsync(webhook, ct));
public sealed class PaymentWebhookHandler(IShopOrders orders)
{
    public Task HandleAsync(ConfirmedWebhook webhook, CancellationToken cancellationToken) =>
        webhook.Payment is { Status: PaymentStatus.Succeeded } payment
            ? orders.MarkPaidAsync(payment.MerchantOrderId, payment.Amount, cancellationToken)
            : Task.CompletedTask;
}

public interface IShopOrders
{
    Task MarkPaidAsync(string merchantOrderId, decimal amount, CancellationToken cancellationToken);
}

public class PaymentWebhookHandlerTests
{
    [Fact]
    public async Task A_confirmed_payment_marks_the_order_paid_and_an_unconfirmed_claim_does_not()
    {
        var orders = new RecordingOrders();
        var handler = new PaymentWebhookHandler(orders);
        PaymentIntent paid = AlipayHkPayModelFactory.PaymentIntent("C1001", "SHOP-1", 38.00m, PaymentStatus.Succeeded);
        PaymentIntent pending = AlipayHkPayModelFactory.PaymentIntent("C1002", "SHOP-2", 12.50m); // a forged or early callback

        await handler.HandleAsync(AlipayHkPayModelFactory.ConfirmedWebhook(payment: paid), TestContext.Current.CancellationToken);
        await handler.HandleAsync(AlipayHkPayModelFactory.ConfirmedWebhook(payment: pending), TestContext.Current.CancellationToken);

        Assert.Equal(["SHOP-1 38.00"], orders.Paid);
    }

    private sealed class RecordingOrders : IShopOrders
    {
        public List<string> Paid { get; } = [];

        public Task MarkPaidAsync(string merchantOrderId, decimal amount, CancellationToken cancellationToken)
        {
            Paid.Add($"{merchantOrderId} {amount}");
            return Task.CompletedTask;
        }
    }
}
