namespace AlipayHk.Pay;

/// <summary>
/// A payment the SDK tracks (with outcomes on, <c>AddAlipayHkPayOutcomes</c>): recorded before its create is sent, updated
/// when the gateway has it, and made final, together with the outcome handler's run, when its outcome is confirmed.
/// The row of the payment store, and the Entity Framework Core entity of <c>AlipayHk.Pay.EntityFrameworkCore</c>.
/// </summary>
/// <remarks>A plain record of the store: changing an instance changes nothing until the SDK saves it. Its <see cref="ToString"/> never shows the QR code URL.</remarks>
public sealed class TrackedPayment
{
    /// <summary>The merchant's name: empty for the default merchant. With <see cref="MerchantOrderId"/>, the key.</summary>
    public string Merchant { get; set; } = string.Empty;

    /// <summary>The merchant's order id, as sent on create.</summary>
    public string MerchantOrderId { get; set; } = string.Empty;

    /// <summary>The amount, in HKD.</summary>
    public decimal Amount { get; set; }

    /// <summary>What the shopper pays for.</summary>
    public string Description { get; set; } = string.Empty;

    /// <summary>The wallet the shopper pays with.</summary>
    public AlipayHkWallet Wallet { get; set; }

    /// <summary>Where the payment stands.</summary>
    public TrackedPaymentState State { get; set; }

    /// <summary>The gateway's order id, once the gateway has the order.</summary>
    public string? OrderId { get; set; }

    /// <summary>The URL shown as the QR code, when the create's answer had one (a recovered create has none).</summary>
    public string? QrCodeUrl { get; set; }

    /// <summary>The gateway's status text, as last seen (<c>PENDING</c>, <c>SUCCEEDED</c>, ...).</summary>
    public string? RawStatus { get; set; }

    /// <summary>When the shopper paid, for a succeeded payment.</summary>
    public DateTimeOffset? PayTime { get; set; }

    /// <summary>When the SDK began to track the payment (before its create was sent), UTC.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the record last changed, UTC.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When the outcome handler ran for the final outcome (in the same step that made the record final), UTC.</summary>
    public DateTimeOffset? HandledAt { get; set; }

    /// <summary>How the final outcome was learned.</summary>
    public PaymentOutcomeSource? HandledBy { get; set; }

    /// <summary>When the reconciler next looks at the payment, UTC; <see langword="null"/> once final.</summary>
    public DateTimeOffset? NextCheckAt { get; set; }

    /// <summary>How many times the reconciler asked the gateway about it.</summary>
    public int Checks { get; set; }

    /// <summary>How many times in a row the gateway said it has no such order (for a payment still <see cref="TrackedPaymentState.Creating"/>).</summary>
    public int NotFound { get; set; }

    /// <summary>Whether the payment is still open: creating, pending, or past the tracking horizon without an outcome.</summary>
    public bool IsOpen => State is TrackedPaymentState.Creating or TrackedPaymentState.Pending or TrackedPaymentState.Expired;

    /// <summary>A copy of every property: what a store keeps or hands out, so that no caller shares its instance.</summary>
    /// <returns>The copy.</returns>
    public TrackedPayment Clone() => (TrackedPayment)MemberwiseClone();

    /// <inheritdoc />
    public override string ToString() =>
        $"TrackedPayment {MerchantOrderId}{(Merchant.Length == 0 ? string.Empty : " (merchant " + Merchant + ")")}: {State}, order {OrderId ?? "none yet"}, {Amount} HKD";
}

/// <summary>Where a tracked payment stands.</summary>
public enum TrackedPaymentState
{
    /// <summary>Its create is being sent, or was interrupted and its outcome is not known yet.</summary>
    Creating = 0,

    /// <summary>The gateway has the order; the shopper has not paid (or the SDK has not learned it yet).</summary>
    Pending = 1,

    /// <summary>Final: paid, and the outcome handler ran.</summary>
    Succeeded = 2,

    /// <summary>Final: cancelled or closed unpaid, and the outcome handler ran.</summary>
    Cancelled = 3,

    /// <summary>The create never reached the gateway (it said twice, once the create could no longer land, that it has no such order). The handler is not called.</summary>
    NotCreated = 4,

    /// <summary>Still open past the tracking horizon: reported (a log line, a metric), no longer queried on the schedule, still completed if its outcome arrives.</summary>
    Expired = 5,
}
