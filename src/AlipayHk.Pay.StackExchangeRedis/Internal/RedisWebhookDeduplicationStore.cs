using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AlipayHk.Pay.StackExchangeRedis;

/// <summary>
/// Webhook duplicates in Redis, claimed atomically: <c>SET key claim NX PX lease</c>, so that of two deliveries of one
/// outcome reaching two instances at the same moment exactly one runs the handler. A handled outcome is kept for
/// <see cref="AlipayHkPayWebhookDeduplicationOptions.Retention"/>; a failed one is released (only by the instance that
/// claimed it). Calls fail fast while Redis is down: the endpoint then answers 503, so the gateway delivers again.
/// </summary>
internal sealed class RedisWebhookDeduplicationStore : IAlipayHkPayWebhookDeduplicationStore
{
    private const string Processed = "1";

    // Claims when absent; otherwise says whether the key is handled (2) or being handled (1). One round trip.
    private const string ClaimScript = """
        if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
        if redis.call('get', KEYS[1]) == '1' then return 2 end
        return 1
        """;

    // Deletes the claim only while it is still this instance's, never a handled record or another's claim.
    private const string ReleaseScript = """
        if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
        return 0
        """;

    private readonly RedisConnection _redis;
    private readonly Outage _outage;
    private readonly AlipayHkPayWebhookDeduplicationOptions _options;
    private readonly RedisValue _claim = "0:" + Guid.NewGuid().ToString("N");

    public RedisWebhookDeduplicationStore(RedisConnection redis, Outage outage, IOptions<AlipayHkPayWebhookDeduplicationOptions> options)
    {
        _redis = redis;
        _outage = outage;
        _options = options.Value;
        if (_options.Retention <= TimeSpan.Zero || _options.ProcessingTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "AlipayHkPayWebhookDeduplicationOptions.Retention and ProcessingTimeout must be positive.");
        }
    }

    public async ValueTask<WebhookClaim> TryClaimAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        RedisResult result = await RunAsync(
            db => db.ScriptEvaluateAsync(ClaimScript, [Key(key)], [_claim, (long)_options.ProcessingTimeout.TotalMilliseconds]),
            cancellationToken).ConfigureAwait(false);
        return (WebhookClaim)(int)result;
    }

    public async ValueTask MarkProcessedAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await RunAsync(db => db.StringSetAsync(Key(key), Processed, _options.Retention, When.Always), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> IsProcessedAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        RedisValue value = await RunAsync(db => db.StringGetAsync(Key(key)), cancellationToken).ConfigureAwait(false);
        return value == Processed;
    }

    public async ValueTask ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await RunAsync(db => db.ScriptEvaluateAsync(ReleaseScript, [Key(key)], [_claim]), cancellationToken).ConfigureAwait(false);
    }

    private RedisKey Key(string key) => _redis.Key("webhook:" + key);

    private async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            T result = await _redis.RunAsync(call, cancellationToken).ConfigureAwait(false);
            _outage.Succeeded(RedisUse.WebhookDuplicates);
            return result;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _outage.Failed(RedisUse.WebhookDuplicates, ex);
            throw;
        }
    }
}
