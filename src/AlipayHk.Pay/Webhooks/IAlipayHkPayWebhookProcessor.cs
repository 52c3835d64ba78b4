namespace AlipayHk.Pay;

/// <summary>
/// Verifies a webhook callback, then confirms it through the query API: the one call to make before acting on a
/// callback. Registered by <c>AddAlipayHkPay</c>; the ASP.NET Core endpoint (<c>MapAlipayHkPayWebhook</c>) uses it.
/// </summary>
public interface IAlipayHkPayWebhookProcessor
{
    /// <summary>
    /// Verifies the callback's signature, parses it and, when it names a payment, queries the gateway for that
    /// payment's authoritative state.
    /// </summary>
    /// <param name="body">The raw HTTP request body, byte for byte as received.</param>
    /// <param name="signature">The value of the signature header, or <see langword="null"/> when absent.</param>
    /// <param name="cancellationToken">Cancels the confirming query.</param>
    /// <returns>The verified notification and, for a payment, the payment as the gateway reports it.</returns>
    /// <exception cref="AlipayHkPayWebhookException">The callback is rejected; <see cref="AlipayHkPayWebhookException.Reason"/> says why.</exception>
    /// <exception cref="AlipayHkPayException">The callback is valid but the gateway could not confirm it (unreachable, or it refused the query). Answer with an error so the gateway delivers it again.</exception>
    Task<ConfirmedWebhook> ProcessAsync(ReadOnlyMemory<byte> body, string? signature, CancellationToken cancellationToken = default);
}
