namespace AlipayHk.Pay;

/// <summary>
/// What to charge the shopper for an in-store QR payment. The SDK adds currency <c>HKD</c>, channel
/// <c>alipayhk</c> and flow <c>csb_qrcode</c> itself.
/// </summary>
/// <remarks>
/// Every field is checked before anything is sent; a bad value raises an <see cref="ArgumentException"/>
/// whose <see cref="ArgumentException.ParamName"/> names the property.
/// </remarks>
public sealed class CreatePaymentRequest
{
    /// <summary>The amount in HKD: above 0, at most 2 decimal places (for example <c>12.50m</c>).</summary>
    public required decimal Amount { get; init; }

    /// <summary>
    /// Your order id: 1 to 32 printable ASCII characters, unique per order. It is also the key that
    /// makes retries safe: the SDK uses it to find out whether an interrupted create reached the gateway.
    /// </summary>
    public required string MerchantOrderId { get; init; }

    /// <summary>What the shopper is paying for; must not be blank.</summary>
    public required string Description { get; init; }

    /// <summary>Where the gateway posts the payment result: an absolute http(s) URL, or <see langword="null"/> for none.</summary>
    public Uri? NotifyUrl { get; init; }

    /// <summary>The wallet the shopper pays with.</summary>
    public required AlipayHkWallet Wallet { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"CreatePaymentRequest {MerchantOrderId}: {Amount} HKD via {Wallet}";
}
