namespace AlipayHk.Pay;

/// <summary>How long webhook outcomes are remembered. Used by both built-in deduplication stores.</summary>
public sealed class AlipayHkPayWebhookDeduplicationOptions
{
    /// <summary>
    /// How long a handled outcome is remembered. Default 24 hours: the gateway re-delivers a callback for about
    /// 6.8 hours (15 s to 4 h apart), so this covers every re-delivery with room to spare.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a claim lasts while its handler runs. Default 1 minute. A delivery that arrives meanwhile is answered
    /// 409 (the gateway delivers it again later); if the process dies mid-handler, the claim lapses after this long.
    /// Keep it longer than your handler takes.
    /// </summary>
    public TimeSpan ProcessingTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The most outcomes <see cref="InMemoryWebhookDeduplicationStore"/> keeps. Default 100,000; when full, expired
    /// entries go first, then those closest to expiry.
    /// </summary>
    public int MaxEntries { get; set; } = 100_000;

    /// <summary>The prefix of every key <c>DistributedCacheWebhookDeduplicationStore</c> (AlipayHk.Pay.AspNetCore) writes. Default <c>alipayhkpay:webhook:</c>.</summary>
    public string KeyPrefix { get; set; } = "alipayhkpay:webhook:";

    internal void Validate()
    {
        if (Retention <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Retention), Retention, $"{nameof(AlipayHkPayWebhookDeduplicationOptions)}.{nameof(Retention)} must be positive.");
        }

        if (ProcessingTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ProcessingTimeout), ProcessingTimeout, $"{nameof(AlipayHkPayWebhookDeduplicationOptions)}.{nameof(ProcessingTimeout)} must be positive.");
        }

        if (MaxEntries < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEntries), MaxEntries, $"{nameof(AlipayHkPayWebhookDeduplicationOptions)}.{nameof(MaxEntries)} must be at least 1.");
        }
    }
}
