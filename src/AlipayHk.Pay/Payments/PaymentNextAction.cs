namespace AlipayHk.Pay;

/// <summary>What the merchant must do next to let the shopper pay.</summary>
/// <remarks>
/// For the in-store QR flow the gateway answers <c>render_qrcode</c>: show <see cref="Url"/> as a QR code
/// for the shopper to scan with the Alipay app.
/// </remarks>
public sealed class PaymentNextAction
{
    /// <summary>The action's raw type, for example <c>render_qrcode</c>.</summary>
    public required string Type { get; init; }

    /// <summary>
    /// The URL to render (for <c>render_qrcode</c>, the content of the QR code), or <see langword="null"/>
    /// when the gateway sent none that is an absolute URL.
    /// </summary>
    public Uri? Url { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Type} {Url}";
}
