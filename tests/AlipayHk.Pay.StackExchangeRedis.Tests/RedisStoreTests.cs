using AlipayHk.Pay.Shared;
using AlipayHk.Pay.AspNetCore;
using AlipayHk.Pay.StackExchangeRedis.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AlipayHk.Pay.StackExchangeRedis.Tests;

/// <summary>Webhook duplicate claims in a real Redis, seen from two "instances" (two service providers).</summary>
public sealed class RedisStoreTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private readonly string _prefix = $"test-{Guid.NewGuid():N}:";

    private ServiceProvider Instance(Action<AlipayHkPayRedisOptions>? tweak = null)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddAlipayHkPayRedis(options =>
        {
            options.Configuration = redis.Configuration;
            options.KeyPrefix = _prefix;
            tweak?.Invoke(options);
        });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    private static async Task<IAlipayHkPayWebhookDeduplicationStore> StoreAsync(ServiceProvider instance)
    {
        await instance.GetRequiredService<RedisConnection>().Connecting.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        return instance.GetRequiredService<IAlipayHkPayWebhookDeduplicationStore>();
    }

    [Fact]
    public async Task Of_many_concurrent_claims_of_one_outcome_from_two_instances_exactly_one_wins()
    {
        await using ServiceProvider first = Instance();
        await using ServiceProvider second = Instance();
        IAlipayHkPayWebhookDeduplicationStore a = await StoreAsync(first);
        IAlipayHkPayWebhookDeduplicationStore b = await StoreAsync(second);

        WebhookClaim[] claims = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? a : b).TryClaimAsync("payment:C1:SUCCEEDED", Ct).AsTask()));

        Assert.Single(claims, c => c == WebhookClaim.Claimed);
        Assert.Equal(39, claims.Count(c => c == WebhookClaim.InProgress));
        int winner = Array.IndexOf(claims, WebhookClaim.Claimed);
        IAlipayHkPayWebhookDeduplicationStore owner = winner % 2 == 0 ? a : b;
        IAlipayHkPayWebhookDeduplicationStore other = winner % 2 == 0 ? b : a;
        Assert.False(await other.IsProcessedAsync("payment:C1:SUCCEEDED", Ct));
        await owner.MarkProcessedAsync("payment:C1:SUCCEEDED", Ct);
        Assert.Equal(WebhookClaim.AlreadyProcessed, await other.TryClaimAsync("payment:C1:SUCCEEDED", Ct));
        Assert.True(await other.IsProcessedAsync("payment:C1:SUCCEEDED", Ct));
        await other.ReleaseAsync("payment:C1:SUCCEEDED", Ct); // a handled record is never released
        Assert.Equal(WebhookClaim.AlreadyProcessed, await owner.TryClaimAsync("payment:C1:SUCCEEDED", Ct));
    }

    [Fact]
    public async Task A_claim_released_after_a_failed_handler_is_claimed_again_and_only_its_owner_releases_it()
    {
        await using ServiceProvider first = Instance();
        await using ServiceProvider second = Instance();
        IAlipayHkPayWebhookDeduplicationStore a = await StoreAsync(first);
        IAlipayHkPayWebhookDeduplicationStore b = await StoreAsync(second);

        Assert.Equal(WebhookClaim.Claimed, await a.TryClaimAsync("payment:C2:SUCCEEDED", Ct));
        await b.ReleaseAsync("payment:C2:SUCCEEDED", Ct); // not b's claim
        Assert.Equal(WebhookClaim.InProgress, await b.TryClaimAsync("payment:C2:SUCCEEDED", Ct));
        await a.ReleaseAsync("payment:C2:SUCCEEDED", Ct);

        Assert.Equal(WebhookClaim.Claimed, await b.TryClaimAsync("payment:C2:SUCCEEDED", Ct));
    }

    [Fact]
    public async Task Records_live_under_the_key_prefix_and_expire_the_lease_and_the_retention()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddAlipayHkPayWebhookDeduplication(o =>
        {
            o.ProcessingTimeout = TimeSpan.FromSeconds(30);
            o.Retention = TimeSpan.FromHours(2);
        });
        services.AddAlipayHkPayRedis(options =>
        {
            options.Configuration = redis.Configuration;
            options.KeyPrefix = _prefix;
        });
        await using ServiceProvider instance = services.BuildServiceProvider();
        IAlipayHkPayWebhookDeduplicationStore store = await StoreAsync(instance);
        await using ConnectionMultiplexer direct = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        IDatabase db = direct.GetDatabase();

        await store.TryClaimAsync("payment:C3:SUCCEEDED", Ct);
        TimeSpan? lease = await db.KeyTimeToLiveAsync(_prefix + "webhook:payment:C3:SUCCEEDED");
        await store.MarkProcessedAsync("payment:C3:SUCCEEDED", Ct);
        TimeSpan? retention = await db.KeyTimeToLiveAsync(_prefix + "webhook:payment:C3:SUCCEEDED");

        Assert.InRange(lease!.Value, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30));
        Assert.InRange(retention!.Value, TimeSpan.FromHours(1.9), TimeSpan.FromHours(2));
        Assert.IsType<RedisWebhookDeduplicationStore>(store);
    }

    [Fact]
    public async Task Without_a_connection_string_or_a_registered_multiplexer_the_app_fails_naming_the_setting()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddAlipayHkPayRedis(_ => { });
        await using ServiceProvider instance = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => instance.GetRequiredService<IAlipayHkPayWebhookDeduplicationStore>());

        Assert.Contains("AlipayHkPayRedisOptions.Configuration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_IConnectionMultiplexer_the_app_registered_is_used()
    {
        await using ConnectionMultiplexer own = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConnectionMultiplexer>(own);
        services.AddAlipayHkPayRedis(options => options.KeyPrefix = _prefix);
        await using ServiceProvider instance = services.BuildServiceProvider();

        IAlipayHkPayWebhookDeduplicationStore store = await StoreAsync(instance);
        await store.MarkProcessedAsync("payment:C4:SUCCEEDED", Ct);

        Assert.Same(own, instance.GetRequiredService<RedisConnection>().Multiplexer);
        Assert.Equal("1", (string?)await own.GetDatabase().StringGetAsync(_prefix + "webhook:payment:C4:SUCCEEDED"));
    }
}
