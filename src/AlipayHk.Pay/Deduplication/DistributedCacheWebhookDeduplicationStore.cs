using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;

namespace AlipayHk.Pay;

/// <summary>
/// An <see cref="IAlipayHkPayWebhookDeduplicationStore"/> over <see cref="IDistributedCache"/> (Redis, SQL Server,
/// ...), for apps that run on several instances: a re-delivery that reaches another instance is still a duplicate.
/// Register it with <c>services.AddAlipayHkPayDistributedWebhookDeduplication()</c> after registering a cache
/// (for Redis: <c>services.AddStackExchangeRedisCache(...)</c>).
/// </summary>
/// <remarks>
/// <see cref="IDistributedCache"/> has no atomic "add if absent", so two deliveries of the same outcome that reach
/// two instances within the same few milliseconds can both be handled. The gateway spaces its deliveries 15 seconds
/// or more apart, so this is rare; keep the handler idempotent (for example, a unique index on the order id).
/// </remarks>
public sealed class DistributedCacheWebhookDeduplicationStore : IAlipayHkPayWebhookDeduplicationStore
{
    private static readonly byte[] InProgressValue = [0];
    private static readonly byte[] ProcessedValue = [1];

    private readonly IDistributedCache _cache;
    private readonly AlipayHkPayWebhookDeduplicationOptions _options;

    /// <summary>Creates a store over a distributed cache.</summary>
    /// <param name="cache">The cache shared by every instance of the app.</param>
    /// <param name="options">How long outcomes are kept, and the key prefix.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public DistributedCacheWebhookDeduplicationStore(IDistributedCache cache, IOptions<AlipayHkPayWebhookDeduplicationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(options);
        _cache = cache;
        _options = options.Value;
        _options.Validate();
    }

    /// <inheritdoc />
    public async ValueTask<WebhookClaim> TryClaimAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        string cacheKey = _options.KeyPrefix + key;
        byte[]? existing = await _cache.GetAsync(cacheKey, cancellationToken).ConfigureAwait(false);
        if (existing is { Length: > 0 })
        {
            return existing[0] == ProcessedValue[0] ? WebhookClaim.AlreadyProcessed : WebhookClaim.InProgress;
        }

        await _cache.SetAsync(cacheKey, InProgressValue, Expiring(_options.ProcessingTimeout), cancellationToken).ConfigureAwait(false);
        return WebhookClaim.Claimed;
    }

    /// <inheritdoc />
    public async ValueTask MarkProcessedAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await _cache.SetAsync(_options.KeyPrefix + key, ProcessedValue, Expiring(_options.Retention), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> IsProcessedAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        byte[]? existing = await _cache.GetAsync(_options.KeyPrefix + key, cancellationToken).ConfigureAwait(false);
        return existing is { Length: > 0 } && existing[0] == ProcessedValue[0];
    }

    /// <inheritdoc />
    public async ValueTask ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await _cache.RemoveAsync(_options.KeyPrefix + key, cancellationToken).ConfigureAwait(false);
    }

    private static DistributedCacheEntryOptions Expiring(TimeSpan after) => new() { AbsoluteExpirationRelativeToNow = after };
}
