namespace AlipayHk.Pay;

/// <summary>
/// Remembers which webhook outcomes were handled, so that the gateway's re-deliveries (up to ten per callback)
/// do not run the handler twice. Keys are <see cref="ConfirmedWebhook.DeduplicationKey"/>: the confirmed outcome,
/// not the raw callback. The default, <see cref="InMemoryWebhookDeduplicationStore"/>, serves one instance;
/// <c>DistributedCacheWebhookDeduplicationStore</c> (AlipayHk.Pay.AspNetCore) serves several that share an <c>IDistributedCache</c>.
/// </summary>
/// <remarks>
/// The endpoint calls <see cref="TryClaimAsync"/>, runs the handler when it returns <see cref="WebhookClaim.Claimed"/>,
/// then <see cref="MarkProcessedAsync"/> when the handler succeeded or <see cref="ReleaseAsync"/> when it threw, so a
/// failed callback is handled again on its next delivery. Implementations must be safe to call from many threads.
/// </remarks>
public interface IAlipayHkPayWebhookDeduplicationStore
{
    /// <summary>Claims a key for handling, unless it is being handled or was handled.</summary>
    /// <param name="key">The outcome's key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the caller now holds the key, or why not.</returns>
    ValueTask<WebhookClaim> TryClaimAsync(string key, CancellationToken cancellationToken);

    /// <summary>Records a claimed key as handled, so that later deliveries are duplicates.</summary>
    /// <param name="key">The outcome's key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the record is stored.</returns>
    ValueTask MarkProcessedAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="key"/> was recorded as handled, claiming nothing. The endpoint asks this before it
    /// confirms a callback with the gateway, for the record it keeps of each payment's confirmed final outcome: a
    /// re-delivery of an outcome already handled then costs no gateway query. The default answers
    /// <see langword="false"/>, so a store that does not implement it costs one query per re-delivery, as before.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when the key was marked processed and has not expired.</returns>
    /// <remarks>On .NET Framework, which has no default interface members, a store implements it (returning <see langword="false"/> is that default).</remarks>
#if NETFRAMEWORK
    ValueTask<bool> IsProcessedAsync(string key, CancellationToken cancellationToken);
#else
    ValueTask<bool> IsProcessedAsync(string key, CancellationToken cancellationToken) => new(false);
#endif

    /// <summary>Gives up a claimed key without recording it, so that the next delivery is handled again.</summary>
    /// <param name="key">The outcome's key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the claim is released.</returns>
    ValueTask ReleaseAsync(string key, CancellationToken cancellationToken);
}
