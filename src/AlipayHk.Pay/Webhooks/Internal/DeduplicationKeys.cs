namespace AlipayHk.Pay;

/// <summary>The <see cref="ConfirmedWebhook.DeduplicationKey"/> formats, shared by the processor and the model factory.</summary>
internal static class DeduplicationKeys
{
    /// <summary>A payment: the order (or, when the gateway's answer has no order id, the reference asked for) and its confirmed status.</summary>
    internal static string ForPayment(PaymentIntent payment, string? fallbackOrderKey = null) =>
        $"payment:{(payment.OrderId.Length > 0 ? payment.OrderId : fallbackOrderKey ?? payment.MerchantOrderId)}:{payment.RawStatus.ToUpperInvariant()}";

    /// <summary>A refund: the notify type and the refund id (or the merchant's refund id).</summary>
    internal static string ForRefund(string notifyType, WebhookRefund refund) =>
        refund.RefundId is not null ? $"{notifyType}:{refund.RefundId}" : $"{notifyType}:merchant:{refund.MerchantRefundId}";
}
