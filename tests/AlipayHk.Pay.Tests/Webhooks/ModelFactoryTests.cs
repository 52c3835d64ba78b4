using System.Text;
using AlipayHk.Pay.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.Tests.Webhooks;

/// <summary>
/// What a merchant's unit test builds with <see cref="AlipayHkPayModelFactory"/> must be what their handler gets from a
/// real callback: each case is checked against the processor's result for the same callback.
/// </summary>
public sealed class ModelFactoryTests : IDisposable
{
    private readonly GatewayStub _gateway = new();

    public void Dispose() => _gateway.Dispose();

    [Fact]
    public async Task A_built_paid_webhook_matches_what_the_processor_confirms_for_the_same_callback()
    {
        _gateway.AnswerQueriesWith("C200", "M200", "SUCCEEDED");
        ConfirmedWebhook real = await ProcessAsync(WebhookSigning.PaymentSuccess("C200", "M200"), "webhook-key-for-tests");

        ConfirmedWebhook built = AlipayHkPayModelFactory.ConfirmedWebhook(payment: real.Payment);

        Assert.Equal(real.DeduplicationKey, built.DeduplicationKey);
        Assert.Equal(real.Status, built.Status);
        Assert.False(built.IsUnconfirmedSuccess);
        Assert.Null(built.MerchantName);
        AssertSameNotification(real.Notification, built.Notification);
    }

    [Fact]
    public async Task A_built_refund_webhook_matches_the_published_refund_callback()
    {
        ConfirmedWebhook real = await ProcessAsync(PublishedExamples.WebhookVectorBody, PublishedExamples.WebhookVectorKey);
        WebhookRefund claimed = real.Notification.Refund!;

        WebhookRefund refund = AlipayHkPayModelFactory.WebhookRefund(
            succeeded: true,
            refundId: claimed.RefundId,
            merchantRefundId: claimed.MerchantRefundId,
            orderAmount: claimed.OrderAmount,
            createTime: claimed.CreateTime,
            refundTime: claimed.RefundTime,
            uid: claimed.Uid);
        ConfirmedWebhook built = AlipayHkPayModelFactory.ConfirmedWebhook(
            AlipayHkPayModelFactory.WebhookNotification(orderId: real.Notification.OrderId, refund: refund));

        Assert.Equal(WebhookNotifyTypes.RefundSuccess, built.Notification.NotifyType);
        Assert.Equal(real.DeduplicationKey, built.DeduplicationKey);
        Assert.Null(built.Payment);
        Assert.Equal(PaymentStatus.Unknown, built.Status);
        Assert.Equivalent(claimed, built.Notification.Refund, strict: true);
        Assert.Equal(claimed.RefundId, built.Notification.Data.GetProperty("refund_id").GetString());
    }

    [Fact]
    public void A_forged_success_confirmed_pending_is_flagged_as_unconfirmed()
    {
        PaymentIntent pending = AlipayHkPayModelFactory.PaymentIntent("C100", "M100", 38.00m);

        ConfirmedWebhook webhook = AlipayHkPayModelFactory.ConfirmedWebhook(payment: pending, merchantName: "kowloon");

        Assert.Equal("PENDING", pending.RawStatus);
        Assert.Equal("HKD", pending.Currency);
        Assert.True(webhook.IsUnconfirmedSuccess);
        Assert.Equal(PaymentStatus.Pending, webhook.Status);
        Assert.Equal("payment:C100:PENDING", webhook.DeduplicationKey);
        Assert.Equal("kowloon", webhook.MerchantName);
    }

    [Fact]
    public void Raw_data_is_kept_as_given_and_data_that_is_not_an_object_is_refused_naming_the_argument()
    {
        WebhookNotification notification = AlipayHkPayModelFactory.WebhookNotification(
            notifyType: "payment_updated", orderId: "C9", dataJson: """{"order_id":"C9","extra":[1,2]}""");

        Assert.Equal(PaymentStatus.Unknown, notification.Status);
        Assert.Equal(2, notification.Data.GetProperty("extra").GetArrayLength());
        Assert.Equal("dataJson", Assert.Throws<ArgumentException>(() => AlipayHkPayModelFactory.WebhookNotification(dataJson: "[1]")).ParamName);
        Assert.Equal("dataJson", Assert.Throws<ArgumentException>(() => AlipayHkPayModelFactory.WebhookNotification(dataJson: "{")).ParamName);
        Assert.Throws<ArgumentException>(() => AlipayHkPayModelFactory.ConfirmedWebhook());
    }

    private static void AssertSameNotification(WebhookNotification expected, WebhookNotification actual)
    {
        Assert.Equal(expected.NotifyType, actual.NotifyType);
        Assert.Equal(expected.OrderId, actual.OrderId);
        Assert.Equal(expected.MerchantOrderId, actual.MerchantOrderId);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.IsPaymentSuccess, actual.IsPaymentSuccess);
        Assert.Equal(expected.Data.GetRawText(), actual.Data.GetRawText());
    }

    private async Task<ConfirmedWebhook> ProcessAsync(string body, string key)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        _gateway.Configure(services, key);
        await using ServiceProvider provider = services.BuildServiceProvider();
        return await provider.GetRequiredService<IAlipayHkPayWebhookProcessor>()
            .ProcessAsync(Encoding.UTF8.GetBytes(body), WebhookSigning.Sign(body, key), TestContext.Current.CancellationToken);
    }
}
