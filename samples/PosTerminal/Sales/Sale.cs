using AlipayHk.Pay;

namespace PosTerminal.Sales;

/// <summary>How a sale ended, as the gateway confirmed it.</summary>
internal enum SaleOutcome
{
    /// <summary>The shopper paid.</summary>
    Paid,

    /// <summary>The order was closed without payment.</summary>
    Cancelled,
}

/// <summary>
/// One sale in the terminal's book (the table <c>pos_sales</c>): written when the sale starts, given its outcome by the
/// outcome handler (<see cref="RecordSale"/>) in the same transaction as the SDK's payment record, and marked reported once
/// its receipt (or its cancellation) has been shown.
/// </summary>
internal sealed class Sale
{
    /// <summary>The merchant order id: the key, as in the SDK's payment record.</summary>
    public string MerchantOrderId { get; set; } = string.Empty;

    /// <summary>What the shopper pays for.</summary>
    public string Description { get; set; } = string.Empty;

    /// <summary>The amount, in HKD.</summary>
    public decimal Amount { get; set; }

    /// <summary>The shopper's wallet.</summary>
    public AlipayHkWallet Wallet { get; set; }

    /// <summary>When the terminal started the sale.</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>The gateway's order id, once the outcome is known.</summary>
    public string? OrderId { get; set; }

    /// <summary>Paid or cancelled; <see langword="null"/> while the outcome is not known.</summary>
    public SaleOutcome? Outcome { get; set; }

    /// <summary>The currency the gateway charged in.</summary>
    public string? Currency { get; set; }

    /// <summary>When the shopper paid, by the gateway's clock (with its offset, +08:00).</summary>
    public DateTimeOffset? PaidAt { get; set; }

    /// <summary>The <c>rid</c> of the gateway's answer that confirmed the outcome.</summary>
    public string? RequestId { get; set; }

    /// <summary>How the SDK learned the outcome.</summary>
    public PaymentOutcomeSource? LearnedBy { get; set; }

    /// <summary>When the outcome handler recorded the outcome: when the terminal learned it.</summary>
    public DateTimeOffset? RecordedAt { get; set; }

    /// <summary>When its receipt, or its cancellation, was shown; <see langword="null"/> while it still has to be.</summary>
    public DateTimeOffset? ReportedAt { get; set; }
}
