namespace AlipayHk.Pay.Testing;

/// <summary>A snapshot of one payment as the simulator holds it.</summary>
public sealed class SimulatedPayment
{
    /// <summary>The gateway's order id, for example <c>C1764099123456000000001</c>.</summary>
    public required string OrderId { get; init; }

    /// <summary>
    /// The name of the merchant whose token created it (see <see cref="AlipayHkGatewaySimulator.Merchants"/>):
    /// <c>default</c> unless the simulator serves several merchants.
    /// </summary>
    public string MerchantName { get; init; } = "default";

    /// <summary>The merchant's order id, as sent on create.</summary>
    public required string MerchantOrderId { get; init; }

    /// <summary>The amount, as sent on create.</summary>
    public required decimal Amount { get; init; }

    /// <summary>The currency: always <c>HKD</c>, the only one the simulator accepts.</summary>
    public required string Currency { get; init; }

    /// <summary>The wallet asked for on create.</summary>
    public required AlipayHkWallet Wallet { get; init; }

    /// <summary>The description sent on create.</summary>
    public required string Description { get; init; }

    /// <summary>Where callbacks go, or <see langword="null"/> when the create named no <c>notify_url</c>.</summary>
    public Uri? NotifyUrl { get; init; }

    /// <summary><see cref="PaymentStatus.Pending"/>, <see cref="PaymentStatus.Succeeded"/> or <see cref="PaymentStatus.Cancelled"/>.</summary>
    public required PaymentStatus Status { get; init; }

    /// <summary>When the order was created, by the simulator's clock.</summary>
    public required DateTimeOffset CreateTime { get; init; }

    /// <summary>When the shopper paid, or <see langword="null"/> while unpaid.</summary>
    public DateTimeOffset? PayTime { get; init; }

    /// <summary>The URL the create answered in <c>next_action</c>, to show as a QR code.</summary>
    public required Uri QrCodeUrl { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"SimulatedPayment {OrderId} (merchant order {MerchantOrderId}): {Amount} {Currency} {Status}";
}
