using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AlipayHk.Pay.Tests.Webhooks;

public sealed class DeduplicationStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private InMemoryWebhookDeduplicationStore InMemory(Action<AlipayHkPayWebhookDeduplicationOptions>? configure = null)
    {
        var options = new AlipayHkPayWebhookDeduplicationOptions();
        configure?.Invoke(options);
        return new InMemoryWebhookDeduplicationStore(Options.Create(options), _time);
    }

    [Fact]
    public void The_defaults_outlast_the_gateways_retry_schedule()
    {
        var options = new AlipayHkPayWebhookDeduplicationOptions();
        TimeSpan lastRetry = TimeSpan.FromSeconds(15 + 30 + 60 + 300 + 600 + 1800 + 3600 + 7200 + 14400); // about 6.8 h
        Assert.True(options.Retention >= TimeSpan.FromHours(24));
        Assert.True(options.Retention > lastRetry);
    }

    [Fact]
    public async Task A_key_is_claimed_once_then_in_progress_then_processed()
    {
        InMemoryWebhookDeduplicationStore store = InMemory();

        Assert.Equal(WebhookClaim.Claimed, await store.TryClaimAsync("k", Ct));
        Assert.Equal(WebhookClaim.InProgress, await store.TryClaimAsync("k", Ct));
        await store.MarkProcessedAsync("k", Ct);
        Assert.Equal(WebhookClaim.AlreadyProcessed, await store.TryClaimAsync("k", Ct));
        Assert.Equal(WebhookClaim.Claimed, await store.TryClaimAsync("other", Ct));
    }

    [Fact]
    public async Task A_released_claim_can_be_claimed_again_but_a_processed_key_cannot_be_released()
    {
        InMemoryWebhookDeduplicationStore store = InMemory();

        await store.TryClaimAsync("k", Ct);
        await store.ReleaseAsync("k", Ct);
        Assert.Equal(WebhookClaim.Claimed, await store.TryClaimAsync("k", Ct));

        await store.MarkProcessedAsync("k", Ct);
        await store.ReleaseAsync("k", Ct);
        Assert.Equal(WebhookClaim.AlreadyProcessed, await store.TryClaimAsync("k", Ct));
    }

    [Fact]
    public async Task A_processed_key_is_remembered_for_the_retention_then_forgotten()
    {
        InMemoryWebhookDeduplicationStore store = InMemory();
        await store.TryClaimAsync("k", Ct);
        await store.MarkProcessedAsync("k", Ct);

        _time.Advance(TimeSpan.FromHours(23.9));
        Assert.Equal(WebhookClaim.AlreadyProcessed, await store.TryClaimAsync("k", Ct));
        _time.Advance(TimeSpan.FromHours(0.2));
        Assert.Equal(WebhookClaim.Claimed, await store.TryClaimAsync("k", Ct));
    }

    [Fact]
    public async Task A_claim_whose_handler_never_finished_lapses_after_the_processing_timeout()
    {
        InMemoryWebhookDeduplicationStore store = InMemory(o => o.ProcessingTimeout = TimeSpan.FromSeconds(30));
        await store.TryClaimAsync("k", Ct);

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(WebhookClaim.InProgress, await store.TryClaimAsync("k", Ct));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(WebhookClaim.Claimed, await store.TryClaimAsync("k", Ct));
    }

    [Fact]
    public async Task The_store_stays_within_its_bound_dropping_expired_entries_first()
    {
        InMemoryWebhookDeduplicationStore store = InMemory(o => o.MaxEntries = 100);
        await store.TryClaimAsync("old", Ct);
        await store.MarkProcessedAsync("old", Ct);
        _time.Advance(TimeSpan.FromHours(1));
        await store.TryClaimAsync("recent", Ct);
        await store.MarkProcessedAsync("recent", Ct);

        for (int i = 0; i < 1000; i++)
        {
            await store.TryClaimAsync($"k{i}", Ct);
            await store.MarkProcessedAsync($"k{i}", Ct);
            Assert.True(store.Count <= 100);
        }

        Assert.Equal(WebhookClaim.AlreadyProcessed, await store.TryClaimAsync("k999", Ct)); // the newest survive
    }

    [Fact]
    public async Task A_full_store_makes_room_by_dropping_its_expired_entries()
    {
        // Removing while enumerating throws on .NET Framework (the Mono run of this test pins that build).
        InMemoryWebhookDeduplicationStore store = InMemory(o =>
        {
            o.MaxEntries = 4;
            o.ProcessingTimeout = TimeSpan.FromMinutes(1);
        });
        await store.TryClaimAsync("expired-1", Ct);
        await store.TryClaimAsync("expired-2", Ct);
        _time.Advance(TimeSpan.FromMinutes(2));
        await store.TryClaimAsync("live-1", Ct);
        await store.TryClaimAsync("live-2", Ct);

        Assert.Equal(WebhookClaim.Claimed, await store.TryClaimAsync("new", Ct));
        Assert.Equal(3, store.Count);
        Assert.Equal(WebhookClaim.InProgress, await store.TryClaimAsync("live-1", Ct));
        Assert.Equal(WebhookClaim.InProgress, await store.TryClaimAsync("live-2", Ct));
    }

    [Fact]
    public async Task Concurrent_claims_of_one_key_let_exactly_one_through()
    {
        InMemoryWebhookDeduplicationStore store = InMemory();
        WebhookClaim[] claims = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () => await store.TryClaimAsync("k", Ct), Ct)));
        Assert.Single(claims, c => c == WebhookClaim.Claimed);
    }

    [Theory]
    [InlineData(0, 60, 10)]
    [InlineData(60, 0, 10)]
    [InlineData(60, 60, 0)]
    public void Options_out_of_range_are_refused(int retentionSeconds, int processingSeconds, int maxEntries)
    {
        var options = new AlipayHkPayWebhookDeduplicationOptions
        {
            Retention = TimeSpan.FromSeconds(retentionSeconds),
            ProcessingTimeout = TimeSpan.FromSeconds(processingSeconds),
            MaxEntries = maxEntries,
        };
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryWebhookDeduplicationStore(Options.Create(options), _time));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedCacheWebhookDeduplicationStore(new RecordingCache(), Options.Create(options)));
    }

    [Fact]
    public async Task The_distributed_store_claims_records_and_releases_through_the_cache()
    {
        var cache = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        var store = new DistributedCacheWebhookDeduplicationStore(cache, Options.Create(new AlipayHkPayWebhookDeduplicationOptions()));

        Assert.Equal(WebhookClaim.Claimed, await store.TryClaimAsync("k", Ct));
        Assert.Equal(WebhookClaim.InProgress, await store.TryClaimAsync("k", Ct));
        await store.ReleaseAsync("k", Ct);
        Assert.Equal(WebhookClaim.Claimed, await store.TryClaimAsync("k", Ct));
        await store.MarkProcessedAsync("k", Ct);
        Assert.Equal(WebhookClaim.AlreadyProcessed, await store.TryClaimAsync("k", Ct));
        Assert.NotNull(await cache.GetAsync("alipayhkpay:webhook:k", Ct));
    }

    [Fact]
    public async Task The_distributed_store_sets_a_short_lease_while_processing_and_the_retention_once_processed()
    {
        var cache = new RecordingCache();
        var store = new DistributedCacheWebhookDeduplicationStore(cache, Options.Create(new AlipayHkPayWebhookDeduplicationOptions
        {
            KeyPrefix = "shop1:",
            ProcessingTimeout = TimeSpan.FromSeconds(45),
            Retention = TimeSpan.FromHours(48),
        }));

        await store.TryClaimAsync("payment:C1:SUCCEEDED", Ct);
        Assert.Equal(TimeSpan.FromSeconds(45), cache.Expirations["shop1:payment:C1:SUCCEEDED"]);
        await store.MarkProcessedAsync("payment:C1:SUCCEEDED", Ct);
        Assert.Equal(TimeSpan.FromHours(48), cache.Expirations["shop1:payment:C1:SUCCEEDED"]);
    }

    /// <summary>An IDistributedCache that remembers each key's expiry.</summary>
    private sealed class RecordingCache : IDistributedCache
    {
        private readonly Dictionary<string, byte[]> _values = [];

        internal Dictionary<string, TimeSpan?> Expirations { get; } = [];

        public byte[]? Get(string key) => _values.GetValueOrDefault(key);

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromResult(Get(key));

        public void Refresh(string key)
        {
        }

        public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

        public void Remove(string key) => _values.Remove(key);

        public Task RemoveAsync(string key, CancellationToken token = default)
        {
            Remove(key);
            return Task.CompletedTask;
        }

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
        {
            _values[key] = value;
            Expirations[key] = options.AbsoluteExpirationRelativeToNow;
        }

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            Set(key, value, options);
            return Task.CompletedTask;
        }
    }
}
