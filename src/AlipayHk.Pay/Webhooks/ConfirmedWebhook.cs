namespace AlipayHk.Pay;

/// <summary>
/// A webhook callback that was verified and, for payments, confirmed with the gateway: what the caller claimed
/// (<see cref="Notification"/>) and what the gateway says (<see cref="Payment"/>). Act on <see cref="Payment"/>.
/// </summary>
public sealed class ConfirmedWebhook
{
    internal ConfirmedWebhook(WebhookNotification notification, PaymentIntent? payment, string deduplicationKey, string? merchantName)
    {
        Notification = notification;
        Payment = payment;
        DeduplicationKey = deduplicationKey;
        MerchantName = merchantName;
    }

    /// <summary>The verified callback: what the caller claims. Not proof of payment on its own.</summary>
    public WebhookNotification Notification { get; }

    /// <summary>
    /// The payment as the gateway reports it now, queried by <c>order_id</c> (or <c>merchant_order_id</c> when the
    /// callback has no <c>order_id</c>): the authoritative state, typed <see cref="PaymentStatus.Pending"/>,
    /// <see cref="PaymentStatus.Succeeded"/> or <see cref="PaymentStatus.Cancelled"/>. A forged or replayed
    /// <c>payment_success</c> for an unpaid order comes out <see cref="PaymentStatus.Pending"/> here.
    /// <see langword="null"/> for refund callbacks (the gateway has no refund query to confirm them with) and for
    /// callbacks of an unknown type that name no order.
    /// </summary>
    public PaymentIntent? Payment { get; }

    /// <summary>The confirmed status: <see cref="PaymentIntent.Status"/> of <see cref="Payment"/>, or <see cref="PaymentStatus.Unknown"/> when there is none.</summary>
    public PaymentStatus Status => Payment?.Status ?? PaymentStatus.Unknown;

    /// <summary>
    /// Names the confirmed outcome, for suppressing duplicates: the order and its confirmed status for a payment
    /// (so a forged success that confirmed as pending never hides the real one), the notify type and refund id for
    /// a refund, the notify type and a hash of the body otherwise.
    /// </summary>
    public string DeduplicationKey { get; }

    /// <summary>
    /// The name of the merchant registration the callback was verified and confirmed with, or <see langword="null"/>
    /// for the default, unnamed registration (<c>AddAlipayHkPay(...)</c> without a name).
    /// </summary>
    public string? MerchantName { get; }

    /// <summary>
    /// Whether the callback claims a success the gateway does not (yet) confirm: a <c>payment_success</c> whose
    /// payment is not <see cref="PaymentStatus.Succeeded"/>. Either forged, replayed, or early; treat it as unpaid.
    /// </summary>
    public bool IsUnconfirmedSuccess => Notification.IsPaymentSuccess && Payment is { Status: not PaymentStatus.Succeeded };

    /// <inheritdoc />
    public override string ToString() =>
        Payment is { } payment ? $"ConfirmedWebhook {Notification.NotifyType}: order {payment.OrderId} is {payment.RawStatus}" : $"ConfirmedWebhook {Notification}";
}
