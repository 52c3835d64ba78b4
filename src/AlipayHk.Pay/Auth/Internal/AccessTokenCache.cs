using AlipayHk.Pay.Diagnostics;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.Auth;

/// <summary>
/// Holds the current access token. Hands it out without locking while it is fresh, and lets exactly one caller
/// fetch a new one when it is not: concurrent callers wait on that single fetch.
/// </summary>
internal sealed class AccessTokenCache(
    IAlipayHkPayTokenSource source,
    Merchant merchant,
    TimeProvider timeProvider,
    ILogger<AccessTokenCache> logger,
    AlipayHkPayInstruments instruments)
{
    private readonly object _gate = new();
    private Entry? _current;
    private Task<AlipayHkPayAccessToken>? _fetch;

    /// <summary>Returns a token that is not about to expire, fetching one when needed.</summary>
    public ValueTask<AlipayHkPayAccessToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        Entry? current = Volatile.Read(ref _current);
        return current is not null && IsFresh(current)
            ? new ValueTask<AlipayHkPayAccessToken>(current.Token)
            : new ValueTask<AlipayHkPayAccessToken>(GetSlowAsync(cancellationToken));
    }

    /// <summary>Forgets <paramref name="rejected"/> after the gateway refused it, unless a newer token already replaced it.</summary>
    public void Invalidate(AlipayHkPayAccessToken rejected)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_current?.Token, rejected))
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
                return current.Token;
            }

            // One fetch for everyone, on no caller's token (FetchAsync says why); each caller waits with its own.
            fetch = _fetch ??= FetchAsync();
        }

        return await fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<AlipayHkPayAccessToken> FetchAsync()
    {
        // Leave the lock before the fetch starts (without posting to the caller's synchronization context).
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        TimeSpan limit = merchant.Options.TotalTimeout;
        using var timeout = timeProvider.CreateCancellationTokenSource(limit);
        try
        {
            AlipayHkPayAccessToken token;
            try
            {
                // Not any caller's token (one giving up must not fail the others), but bounded: a fetch that never
                // ends would leave every later caller waiting on it.
                token = await source.FetchTokenAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException cancelled) when (timeout.IsCancellationRequested)
            {
                var timedOut = new AlipayHkPayAuthenticationException($"No access token within {limit} (AlipayHkPay:TotalTimeout).", null, null, cancelled);
                CountFetch(timedOut);
                throw timedOut;
            }
            catch (Exception ex)
            {
                CountFetch(ex);
                throw;
            }

            CountFetch(null);

            var entry = new Entry(token, token.ExpiresAt - merchant.Options.TokenRefreshMargin);
            lock (_gate)
            {
                _current = entry;
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

    private void CountFetch(Exception? failure) =>
        instruments.CountTokenFetch(failure is null ? null : ErrorTypes.Of(failure), merchant.Name);

    private bool IsFresh(Entry entry) => timeProvider.GetUtcNow() < entry.RefreshAt;

    /// <summary>A token and the moment it is to be replaced (its expiry less the refresh margin), computed once.</summary>
    private sealed record Entry(AlipayHkPayAccessToken Token, DateTimeOffset RefreshAt);
}
