namespace AlipayHk.Pay;

/// <summary>
/// Verifies the signature of a webhook callback (<c>HEX(SHA256(body + "." + key))</c> over the raw bytes) and
/// parses it. Registered by <c>AddAlipayHkPay</c>; build an <see cref="AlipayHkPayWebhookVerifier"/> from a key
/// to use it without dependency injection. Safe to use from many threads at once.
/// </summary>
/// <remarks>
/// Verification proves who signed the body, not that the payment happened: the callback has no timestamp, so a
/// signed callback can be replayed. Use <see cref="IAlipayHkPayWebhookProcessor"/> to confirm it with the gateway.
/// </remarks>
public interface IAlipayHkPayWebhookVerifier
{
    /// <summary>Verifies a callback's raw body against its signature, then parses it.</summary>
    /// <param name="body">The raw HTTP request body, byte for byte as received: never re-serialized JSON.</param>
    /// <param name="signature">The value of the signature header (lower- or upper-case hex; surrounding spaces are ignored), or <see langword="null"/> when absent.</param>
    /// <returns>The parsed notification.</returns>
    /// <exception cref="AlipayHkPayWebhookException">
    /// The callback is rejected; <see cref="AlipayHkPayWebhookException.Reason"/> says why. The checks run in this
    /// order: size, signature presence, signature, then the payload.
    /// </exception>
    WebhookNotification Verify(ReadOnlySpan<byte> body, string? signature);

    /// <summary>Verifies a callback given as text (encoded as UTF-8 to check it), then parses it.</summary>
    /// <param name="body">The raw body as text. Prefer the byte overload: a body decoded and re-encoded may no longer match its signature.</param>
    /// <param name="signature">The value of the signature header, or <see langword="null"/> when absent.</param>
    /// <returns>The parsed notification.</returns>
    /// <exception cref="AlipayHkPayWebhookException">The callback is rejected; <see cref="AlipayHkPayWebhookException.Reason"/> says why.</exception>
    WebhookNotification Verify(string body, string? signature);
}
