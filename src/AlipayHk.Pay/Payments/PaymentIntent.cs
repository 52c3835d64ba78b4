namespace AlipayHk.Pay;

/// <summary>A payment as the gateway knows it: what was asked, and where it stands.</summary>
public sealed class PaymentIntent
{
    /// <summary>The gateway's order id (for example <c>C991289984923795789123</c>).</summary>
    public required string OrderId { get; init; }

    /// <summary>The merchant's own order id, as sent on create.</summary>
    public required string MerchantOrderId { get; init; }

    /// <summary>The amount, in <see cref="Currency"/>.</summary>
    public decimal Amount { get; init; }

    /// <summary>The currency code the gateway reports (normally <c>HKD</c>). Kept as sent, never rejected.</summary>
    public required string Currency { get; init; }

    /// <summary>The status. <see cref="PaymentStatus.Unknown"/> when the gateway sent a value this SDK does not know.</summary>
    public PaymentStatus Status { get; init; }

    /// <summary>The status exactly as the gateway sent it (for example <c>PENDING</c>).</summary>
    public required string RawStatus { get; init; }

    /// <summary>When the gateway created the order.</summary>
    public DateTimeOffset CreateTime { get; init; }

    /// <summary>When the shopper paid, or <see langword="null"/> while unpaid.</summary>
    public DateTimeOffset? PayTime { get; init; }

    /// <summary>What to do next (on create: the QR code to show), or <see langword="null"/> when nothing is needed.</summary>
    public PaymentNextAction? NextAction { get; init; }

    /// <summary>The gateway's request id (<c>rid</c>) of the call that returned this intent: quote it to support.</summary>
    public string? RequestId { get; init; }

    /// <summary>
    /// Whether this intent was found by querying after its create's answer was lost (a timeout, a reset connection, a
    /// 5xx): the gateway has the order, but a query's answer carries no <c>next_action</c>, so
    /// <see cref="NextAction"/> is <see langword="null"/> and there is no QR code to show. The order was never shown to
    /// the shopper: start a new sale with a new <see cref="CreatePaymentRequest.MerchantOrderId"/> (see the repository's
    /// docs/payments.md, "A recovered create has no QR code").
    /// </summary>
    public bool IsRecovered { get; init; }

    /// <summary>Whether there is a QR code to show: <see cref="NextAction"/> has a <see cref="PaymentNextAction.Url"/>.</summary>
    public bool HasQrCode => NextAction?.Url is not null;

    /// <summary>Whether the status is final: <see cref="PaymentStatus.Succeeded"/> or <see cref="PaymentStatus.Cancelled"/>.</summary>
    public bool IsFinal => Status is PaymentStatus.Succeeded or PaymentStatus.Cancelled;

    /// <inheritdoc />
    public override string ToString() =>
        $"PaymentIntent {OrderId} (merchant order {MerchantOrderId}): {Amount} {Currency} {RawStatus}";
}
