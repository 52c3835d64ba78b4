using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AlipayHk.Pay.StackExchangeRedis;

/// <summary>Puts <see cref="RedisSharedTokenSource"/> in front of each merchant's token source, unless that source is the app's own.</summary>
internal sealed class RedisTokenSourceDecorator(
    RedisConnection redis,
    Outage outage,
    IOptionsMonitor<AlipayHkPayOptions> merchants,
    TimeProvider timeProvider,
    ILogger<RedisSharedTokenSource> logger) : IAlipayHkPayTokenSourceDecorator
{
    public IAlipayHkPayTokenSource Decorate(string? merchantName, IAlipayHkPayTokenSource source, bool isGatewaySource) =>
        isGatewaySource || redis.Options.ShareCustomTokenSources
            ? new RedisSharedTokenSource(merchantName ?? string.Empty, source, redis, outage, merchants, timeProvider, logger)
            : source;
}

/// <summary>
/// One access token per merchant for every instance: kept in Redis (<c>{prefix}token:{merchant}</c>, with its expiry
/// as the key's), and fetched from the merchant's own source by one instance at a time, under a lock
/// (<c>SET … NX PX</c>), so that a cold fleet makes one token request. While Redis is down each instance fetches its own.
/// The token is never logged.
/// </summary>
internal sealed class RedisSharedTokenSource(
    string merchantKey,
    IAlipayHkPayTokenSource inner,
    RedisConnection redis,
    Outage outage,
    IOptionsMonitor<AlipayHkPayOptions> merchants,
    TimeProvider timeProvider,
    ILogger<RedisSharedTokenSource> logger) : IAlipayHkPayTokenSource
{
    private const string ReleaseScript = """
        if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
        return 0
        """;

    private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(20);

    private readonly RedisKey _tokenKey = redis.Key("token:" + (merchantKey.Length == 0 ? "(default)" : merchantKey));
    private readonly RedisKey _lockKey = redis.Key("token-lock:" + (merchantKey.Length == 0 ? "(default)" : merchantKey));
    private readonly RedisValue _owner = Guid.NewGuid().ToString("N");
    private readonly string _merchant = merchantKey.Length == 0 ? "the default merchant" : $"merchant '{merchantKey}'";

    /// <summary>The token this instance last handed out: asked again while it is still fresh means the gateway refused it (401).</summary>
    private string? _handedOut;

    public async ValueTask<AlipayHkPayAccessToken> FetchTokenAsync(CancellationToken cancellationToken)
    {
        AlipayHkPayAccessToken? token;
        try
        {
            token = await FetchSharedAsync(cancellationToken).ConfigureAwait(false);
            outage.Succeeded(RedisUse.SharedTokens);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            outage.Failed(RedisUse.SharedTokens, ex);
            token = null;
        }

        // Redis down, or the lock holder never shared a token: this instance fetches its own.
        token ??= await inner.FetchTokenAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _handedOut, token.Value);
        return token;
    }

    private async Task<AlipayHkPayAccessToken?> FetchSharedAsync(CancellationToken cancellationToken)
    {
        AlipayHkPayOptions settings = merchants.Get(merchantKey);
        if (await ReadUsableAsync(settings, cancellationToken).ConfigureAwait(false) is { } shared)
        {
            return shared;
        }

        // The lock outlives the holder's fetch (bounded by TotalTimeout); the others wait for its token only half
        // that long, so that a holder that died still leaves them time to fetch their own.
        TimeSpan lease = settings.TotalTimeout + TimeSpan.FromSeconds(1);
        DateTimeOffset giveUpAt = timeProvider.GetUtcNow() + TimeSpan.FromTicks(settings.TotalTimeout.Ticks / 2);
        while (true)
        {
            bool locked = await redis.RunAsync(db => db.StringSetAsync(_lockKey, _owner, lease, When.NotExists), cancellationToken).ConfigureAwait(false);
            if (locked)
            {
                try
                {
                    // Another instance may have shared a new token between the read above and the lock.
                    if (await ReadUsableAsync(settings, cancellationToken).ConfigureAwait(false) is { } fresh)
                    {
                        return fresh;
                    }

                    AlipayHkPayAccessToken fetched = await inner.FetchTokenAsync(cancellationToken).ConfigureAwait(false);
                    TimeSpan lifetime = fetched.ExpiresAt - timeProvider.GetUtcNow();
                    if (lifetime > TimeSpan.Zero)
                    {
                        string value = fetched.ExpiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + ":" + fetched.Value;
                        try
                        {
                            await redis.RunAsync(db => db.StringSetAsync(_tokenKey, value, lifetime, When.Always), cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (ex is RedisException or TimeoutException)
                        {
                            outage.Failed(RedisUse.SharedTokens, ex); // Not shared this time; this instance still has it.
                        }
                    }

                    Log.SharedTokenFetched(logger, _merchant, fetched.ExpiresAt);
                    return fetched;
                }
                finally
                {
                    await ReleaseLockAsync().ConfigureAwait(false);
                }
            }

            // Another instance is fetching: take its token when it is shared.
            await Task.Delay(LockPoll, timeProvider, cancellationToken).ConfigureAwait(false);
            if (await ReadUsableAsync(settings, cancellationToken).ConfigureAwait(false) is { } theirs)
            {
                return theirs;
            }

            if (timeProvider.GetUtcNow() > giveUpAt)
            {
                return null;
            }
        }
    }

    /// <summary>The shared token, unless it is about to expire or is the one this instance handed out and was refused.</summary>
    private async Task<AlipayHkPayAccessToken?> ReadUsableAsync(AlipayHkPayOptions settings, CancellationToken cancellationToken)
    {
        RedisValue stored = await redis.RunAsync(db => db.StringGetAsync(_tokenKey), cancellationToken).ConfigureAwait(false);
        if (stored.IsNullOrEmpty)
        {
            return null;
        }

        string text = stored.ToString();
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out long expiresAtMs))
        {
            return null;
        }

        var token = new AlipayHkPayAccessToken(text[(colon + 1)..], DateTimeOffset.FromUnixTimeMilliseconds(expiresAtMs));
        if (token.ExpiresAt - settings.TokenRefreshMargin <= timeProvider.GetUtcNow() || token.Value == Volatile.Read(ref _handedOut))
        {
            return null;
        }

        Log.SharedTokenUsed(logger, _merchant, token.ExpiresAt);
        return token;
    }

    private async Task ReleaseLockAsync()
    {
        try
        {
            await redis.RunAsync(db => db.ScriptEvaluateAsync(ReleaseScript, [_lockKey], [_owner]), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            outage.Failed(RedisUse.SharedTokens, ex); // The lock lapses by itself.
        }
    }
}
