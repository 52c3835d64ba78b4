namespace AlipayHk.Pay;

/// <summary>
/// The <see cref="IAlipayHkPayWebhookVerifier"/> registered for a merchant: it follows the merchant's options, so that a
/// reload of the key, the header name or the body limit applies to the next callback, and the receiver reads the header
/// name and the limit from the very verifier that checks the callback (<see cref="Current"/>): one options source.
/// </summary>
internal sealed class MerchantWebhookVerifier(Merchant merchant) : IAlipayHkPayWebhookVerifier
{
    private Snapshot? _snapshot;

    /// <summary>The verifier for the merchant's options now; rebuilt only when they change.</summary>
    internal AlipayHkPayWebhookVerifier Current
    {
        get
        {
            AlipayHkPayOptions options = merchant.Options;
            Snapshot? snapshot = Volatile.Read(ref _snapshot);
            if (snapshot is null || !ReferenceEquals(snapshot.Options, options))
            {
                snapshot = new Snapshot(options, new AlipayHkPayWebhookVerifier(options));
                Volatile.Write(ref _snapshot, snapshot);
            }

            return snapshot.Verifier;
        }
    }

    public WebhookNotification Verify(ReadOnlySpan<byte> body, string? signature) => Current.Verify(body, signature);

    public WebhookNotification Verify(string body, string? signature) => Current.Verify(body, signature);

    private sealed record Snapshot(AlipayHkPayOptions Options, AlipayHkPayWebhookVerifier Verifier);
}
