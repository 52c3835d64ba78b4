namespace AlipayHk.Pay;

/// <summary>The <c>notify_type</c> values the SDK knows. Others are accepted too: see <see cref="WebhookNotification.NotifyType"/>.</summary>
public static class WebhookNotifyTypes
{
    /// <summary>The shopper paid: <c>payment_success</c>. Confirm it before you act: see <see cref="IAlipayHkPayWebhookProcessor"/>.</summary>
    public const string PaymentSuccess = "payment_success";

    /// <summary>A refund went through: <c>refund_success</c>. See <see cref="WebhookNotification.Refund"/>.</summary>
    public const string RefundSuccess = "refund_success";

    /// <summary>A refund failed: <c>refund_failed</c>. See <see cref="WebhookNotification.Refund"/>.</summary>
    public const string RefundFailed = "refund_failed";
}
