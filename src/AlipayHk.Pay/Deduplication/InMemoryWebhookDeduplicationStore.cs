using Microsoft.Extensions.Options;

namespace AlipayHk.Pay;

/// <summary>
/// The default <see cref="IAlipayHkPayWebhookDeduplicationStore"/>: outcomes kept in this process's memory, bounded
/// by <see cref="AlipayHkPayWebhookDeduplicationOptions.MaxEntries"/> and expired after
/// <see cref="AlipayHkPayWebhookDeduplicationOptions.Retention"/>. Right for one instance; when the app runs on
/// several, use <c>DistributedCacheWebhookDeduplicationStore</c> (AlipayHk.Pay.AspNetCore), since a re-delivery may reach another instance.
/// </summary>
public sealed class InMemoryWebhookDeduplicationStore : IAlipayHkPayWebhookDeduplicationStore
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly AlipayHkPayWebhookDeduplicationOptions _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates an empty store.</summary>
    /// <param name="options">How long outcomes are kept, and how many.</param>
    /// <param name="timeProvider">The clock that expires them.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public InMemoryWebhookDeduplicationStore(IOptions<AlipayHkPayWebhookDeduplicationOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options.Value;
        _options.Validate();
        _timeProvider = timeProvider;
    }

    /// <summary>How many outcomes are held, expired ones included until they are swept.</summary>
    internal int Count
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<WebhookClaim> TryClaimAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        lock (_entries)
        {
            if (_entries.TryGetValue(key, out Entry entry) && entry.ExpiresAt > now)
            {
                return new(entry.Processed ? WebhookClaim.AlreadyProcessed : WebhookClaim.InProgress);
            }

            MakeRoom(now);
            _entries[key] = new Entry(false, now + _options.ProcessingTimeout);
            return new(WebhookClaim.Claimed);
        }
    }

    /// <inheritdoc />
    public ValueTask MarkProcessedAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        lock (_entries)
        {
            if (!_entries.ContainsKey(key))
            {
                MakeRoom(now);
            }

            _entries[key] = new Entry(true, now + _options.Retention);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> IsProcessedAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        lock (_entries)
        {
            return new(_entries.TryGetValue(key, out Entry entry) && entry.Processed && entry.ExpiresAt > now);
        }
    }

    /// <inheritdoc />
    public ValueTask ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_entries)
        {
            if (_entries.TryGetValue(key, out Entry entry) && !entry.Processed)
            {
                _entries.Remove(key);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Under the lock: keeps the count below the limit, dropping expired entries first, then those closest to expiry.</summary>
    private void MakeRoom(DateTimeOffset now)
    {
        if (_entries.Count < _options.MaxEntries)
        {
            return;
        }

        // The expired keys listed first: .NET Framework's dictionary refuses a removal while it is being enumerated.
        foreach (string key in _entries.Where(p => p.Value.ExpiresAt <= now).Select(p => p.Key).ToList())
        {
            _entries.Remove(key);
        }

        if (_entries.Count < _options.MaxEntries)
        {
            return;
        }

        // Still full of live entries: drop the oldest tenth at once, so this sort runs rarely.
        int excess = _entries.Count - _options.MaxEntries + 1 + (_options.MaxEntries / 10);
        foreach (string key in _entries.OrderBy(p => p.Value.ExpiresAt).Take(excess).Select(p => p.Key).ToList())
        {
            _entries.Remove(key);
        }
    }

    private readonly record struct Entry(bool Processed, DateTimeOffset ExpiresAt);
}
