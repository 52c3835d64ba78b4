using System.Text.Json;

namespace AlipayHk.Pay;

/// <summary>
/// A webhook callback whose signature was verified, parsed. It is what the caller <em>claims</em>: the callback has
/// no timestamp and its signature cannot stop a replay, so confirm a payment with the gateway before you act on
/// it (<see cref="IAlipayHkPayWebhookProcessor"/> does both).
/// </summary>
public sealed class WebhookNotification
{
    internal WebhookNotification(string notifyType, JsonElement data)
    {
        NotifyType = notifyType;
        Data = data;
    }

    /// <summary>
    /// The <c>notify_type</c>, exactly as sent: one of <see cref="WebhookNotifyTypes"/>, or a type this SDK does
    /// not know (accepted, never rejected).
    /// </summary>
    public string NotifyType { get; }

    /// <summary>The gateway's order id (<c>data.order_id</c>), or <see langword="null"/> when absent.</summary>
    public string? OrderId { get; internal init; }

    /// <summary>The merchant's order id (<c>data.merchant_order_id</c>), or <see langword="null"/> when absent.</summary>
    public string? MerchantOrderId { get; internal init; }

    /// <summary>
    /// The status the callback claims: <see cref="PaymentStatus.Succeeded"/> for <c>payment_success</c>, otherwise
    /// <see cref="PaymentStatus.Unknown"/>. Not proof of payment: see <see cref="ConfirmedWebhook.Payment"/>.
    /// </summary>
    public PaymentStatus Status { get; internal init; }

    /// <summary>The refund fields for <c>refund_success</c> and <c>refund_failed</c>; <see langword="null"/> for other types.</summary>
    public WebhookRefund? Refund { get; internal init; }

    /// <summary>
    /// The callback's <c>data</c> object as sent, so fields the SDK does not model are not lost (an empty object when
    /// the callback had none). It stays valid after the request ends.
    /// </summary>
    public JsonElement Data { get; }

    /// <summary>Whether <see cref="NotifyType"/> is <c>payment_success</c>.</summary>
    public bool IsPaymentSuccess => NotifyType == WebhookNotifyTypes.PaymentSuccess;

    /// <inheritdoc />
    public override string ToString() =>
        Refund is { } refund
            ? $"WebhookNotification {NotifyType}: refund {refund.RefundId} (merchant refund {refund.MerchantRefundId})"
            : $"WebhookNotification {NotifyType}: order {OrderId} (merchant order {MerchantOrderId})";
}
