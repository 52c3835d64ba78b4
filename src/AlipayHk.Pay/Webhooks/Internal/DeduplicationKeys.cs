using System.Security.Cryptography;

namespace AlipayHk.Pay;

/// <summary>Every key the duplicate store sees, built here and nowhere else (the processor, the receiver and the model factory use it).</summary>
internal static class DeduplicationKeys
{
    /// <summary>A payment: the order (or, when the gateway's answer has no order id, the reference asked for) and its confirmed status.</summary>
    internal static string ForPayment(PaymentIntent payment, string? fallbackOrderKey = null) =>
        $"payment:{(payment.OrderId.Length > 0 ? payment.OrderId : fallbackOrderKey ?? payment.MerchantOrderId)}:{payment.RawStatus.ToUpperInvariant()}";

    /// <summary>A refund: the notify type and the refund id (or the merchant's refund id).</summary>
    internal static string ForRefund(string notifyType, WebhookRefund refund) =>
        refund.RefundId is not null ? $"{notifyType}:{refund.RefundId}" : $"{notifyType}:merchant:{refund.MerchantRefundId}";

    /// <summary>A callback that names nothing to confirm: its notify type and a hash of its body.</summary>
    internal static string ForBody(string notifyType, ReadOnlySpan<byte> body) =>
        $"{notifyType}:body:{Convert.ToHexString(SHA256.HashData(body))}";

    /// <summary>The record that a payment's final outcome was confirmed and handled, by its order id.</summary>
    internal static string FinalByOrderId(string? merchant, string orderId) => Scoped(merchant, "final:order:" + orderId);

    /// <summary>The same record, by its merchant order id: a callback that names only that is answered from the store too.</summary>
    internal static string FinalByMerchantOrderId(string? merchant, string merchantOrderId) => Scoped(merchant, "final:merchant_order:" + merchantOrderId);

    /// <summary>A key in one merchant's space: one store serves every merchant, and order ids are not known to be unique across accounts.</summary>
    internal static string Scoped(string? merchant, string key) => merchant is null ? key : $"merchant:{merchant}:{key}";
}
