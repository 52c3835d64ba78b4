using AlipayHk.Pay.Testing.Merchants.Internal;

namespace AlipayHk.Pay.Testing.Payments.Internal;

/// <summary>One payment's mutable state. Only <see cref="PaymentStore"/> touches it, under its lock.</summary>
internal sealed class PaymentRecord
{
    public required string OrderId { get; init; }

    /// <summary>The merchant whose token created it: only that merchant's queries find it, and its key signs the callbacks.</summary>
    public required MerchantAccount Merchant { get; init; }

    public required string MerchantOrderId { get; init; }

    /// <summary>The amount exactly as the create sent it: answers echo it (<c>105.00</c> stays <c>105.00</c>).</summary>
    public required string AmountText { get; init; }

    public required decimal Amount { get; init; }

    public required AlipayHkWallet Wallet { get; init; }

    public required string Description { get; init; }

    public Uri? NotifyUrl { get; init; }

    public required DateTimeOffset CreateTime { get; init; }

    public required Uri QrCodeUrl { get; init; }

    public PaymentStatus Status { get; set; } = PaymentStatus.Pending;

    public DateTimeOffset? PayTime { get; set; }

    public SimulatedPayment Snapshot() => new()
    {
        OrderId = OrderId,
        MerchantName = Merchant.Name,
        MerchantOrderId = MerchantOrderId,
        Amount = Amount,
        Currency = "HKD",
        Wallet = Wallet,
        Description = Description,
        NotifyUrl = NotifyUrl,
        Status = Status,
        CreateTime = CreateTime,
        PayTime = PayTime,
        QrCodeUrl = QrCodeUrl,
    };
}
