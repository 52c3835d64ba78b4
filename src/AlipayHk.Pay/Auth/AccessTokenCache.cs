using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlipayHk.Pay.Auth;

/// <summary>
/// Holds the current access token. Hands it out without locking while it is fresh, and lets exactly one caller
/// fetch a new one when it is not: concurrent callers wait on that single fetch.
/// </summary>
internal sealed class AccessTokenCache(
    IAlipayHkPayTokenSource source,
    IOptionsMonitor<AlipayHkPayOptions> options,
    TimeProvider timeProvider,
    ILogger<AccessTokenCache> logger)
{
    private readonly object _gate = new();
    private AlipayHkPayAccessToken? _current;
    private Task<AlipayHkPayAccessToken>? _fetch;

    /// <summary>Returns a token that is not about to expire, fetching one when needed.</summary>
    public ValueTask<AlipayHkPayAccessToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        AlipayHkPayAccessToken? current = Volatile.Read(ref _current);
        return current is not null && IsFresh(current)
            ? new ValueTask<AlipayHkPayAccessToken>(current)
            : new ValueTask<AlipayHkPayAccessToken>(GetSlowAsync(cancellationToken));
    }

    /// <summary>Forgets <paramref name="rejected"/> after the gateway refused it, unless a newer token already replaced it.</summary>
    public void Invalidate(AlipayHkPayAccessToken rejected)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_current, rejected))
            {
                _current = null;
                Log.AccessTokenRejected(logger);
            }
        }
    }

    private async Task<AlipayHkPayAccessToken> GetSlowAsync(CancellationToken cancellationToken)
    {
        Task<AlipayHkPayAccessToken> fetch;
        lock (_gate)
        {
            if (_current is { } current && IsFresh(current))
            {
                return current;
            }

            // One fetch for everyone. It does not take any caller's token: a caller that gives up must not
            // fail the others who wait on the same fetch. The token client's own timeouts bound it.
            fetch = _fetch ??= FetchAsync();
        }

        return await fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<AlipayHkPayAccessToken> FetchAsync()
    {
        await Task.Yield(); // Leave the lock before the fetch starts.
        try
        {
            AlipayHkPayAccessToken token = await source.FetchTokenAsync(CancellationToken.None).ConfigureAwait(false);
            lock (_gate)
            {
                _current = token;
            }

            Log.AccessTokenFetched(logger, token.ExpiresAt);
            return token;
        }
        finally
        {
            lock (_gate)
            {
                _fetch = null;
            }
        }
    }

    private bool IsFresh(AlipayHkPayAccessToken token) =>
        timeProvider.GetUtcNow() < token.ExpiresAt - options.CurrentValue.TokenRefreshMargin;
}
