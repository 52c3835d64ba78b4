using AlipayHk.Pay.Shared;
using System.Collections.Concurrent;
using AlipayHk.Pay.AspNetCore.Tests.Merchants;
using AlipayHk.Pay.StackExchangeRedis.Tests.Support;
using AlipayHk.Pay.Testing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AlipayHk.Pay.StackExchangeRedis.Tests;

/// <summary>One access token per merchant for all instances, through a real Redis.</summary>
public sealed class TokenSharingTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private readonly string _prefix = $"tokens-{Guid.NewGuid():N}:";

    [Fact]
    public async Task After_the_gateway_refuses_the_shared_token_the_instances_fetch_one_new_one_between_them()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        var runs = new ConcurrentDictionary<string, int>();
        await using AppInstance first = await AppInstance.StartAsync(simulator, redis.Configuration, _prefix, runs);
        await using AppInstance second = await AppInstance.StartAsync(simulator, redis.Configuration, _prefix, runs);
        await first.Client(TwoShops.A).CreatePaymentAsync(TwoShops.Sale("T-1"), Ct);
        await second.Client(TwoShops.A).CreatePaymentAsync(TwoShops.Sale("T-2"), Ct);
        Assert.Equal(1, TokenRequests(simulator));

        simulator.ExpireTokens();
        await first.Client(TwoShops.A).GetPaymentAsync(PaymentReference.ByMerchantOrderId("T-1"), Ct);
        await second.Client(TwoShops.A).GetPaymentAsync(PaymentReference.ByMerchantOrderId("T-2"), Ct);

        Assert.Equal(2, TokenRequests(simulator)); // one refused token, one replacement for both instances
    }

    [Fact]
    public async Task A_lock_left_by_an_instance_that_died_mid_fetch_delays_the_others_but_does_not_fail_them()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        await using (ConnectionMultiplexer direct = await ConnectionMultiplexer.ConnectAsync(redis.Configuration))
        {
            await direct.GetDatabase().StringSetAsync(_prefix + "token-lock:" + TwoShops.A, "an-instance-that-died", TimeSpan.FromMinutes(1));
        }

        await using AppInstance app = await AppInstance.StartAsync(simulator, redis.Configuration, _prefix, new ConcurrentDictionary<string, int>(), o =>
        {
            // It waits half of the total timeout for the holder's token, then fetches its own in the other half: 3 s
            // each, so that a loaded machine's first request (a cold connection, JIT) still fits.
            o.AttemptTimeout = TimeSpan.FromSeconds(3);
            o.TotalTimeout = TimeSpan.FromSeconds(6);
        });

        PaymentIntent created = await app.Client(TwoShops.A).CreatePaymentAsync(TwoShops.Sale("L-1"), Ct);

        Assert.Equal(PaymentStatus.Pending, created.Status);
        Assert.Equal(1, TokenRequests(simulator));
    }

    [Theory]
    [InlineData(false, 2)]
    [InlineData(true, 1)]
    public async Task A_merchants_own_token_source_is_shared_only_when_asked(bool share, int expectedCalls)
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        SimulatedMerchant b = simulator.Merchants.Single(m => m.Name == TwoShops.B);
        using var vault = new HttpClient { BaseAddress = simulator.BaseAddress };
        var custom = new TwoShops.VaultTokenSource(vault, b.Uid!, b.ClientSecret!);
        void Register(IServiceCollection services)
        {
            services.AddKeyedSingleton<IAlipayHkPayTokenSource>(TwoShops.B, custom);
            services.Configure<AlipayHkPayRedisOptions>(o => o.ShareCustomTokenSources = share);
        }

        var runs = new ConcurrentDictionary<string, int>();
        await using AppInstance first = await AppInstance.StartAsync(simulator, redis.Configuration, _prefix, runs, services: Register);
        await using AppInstance second = await AppInstance.StartAsync(simulator, redis.Configuration, _prefix, runs, services: Register);

        await first.Client(TwoShops.B).CreatePaymentAsync(TwoShops.Sale("V-1"), Ct);
        await second.Client(TwoShops.B).CreatePaymentAsync(TwoShops.Sale("V-2"), Ct);

        Assert.Equal(expectedCalls, custom.Calls);
        await using ConnectionMultiplexer direct = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        Assert.Equal(share, await direct.GetDatabase().KeyExistsAsync(_prefix + "token:" + TwoShops.B));
    }

    private static int TokenRequests(AlipayHkGatewaySimulator simulator) => simulator.Journal.Count(e => e.Endpoint == SimulatedEndpoint.Auth);
}
