using AlipayHk.Pay.Shared;
using System.Collections.Concurrent;
using System.Diagnostics;
using AlipayHk.Pay.AspNetCore.Tests.Merchants;
using AlipayHk.Pay.StackExchangeRedis.Tests.Support;
using AlipayHk.Pay.Testing;
using StackExchange.Redis;

namespace AlipayHk.Pay.StackExchangeRedis.Tests;

/// <summary>
/// Three app instances (Kestrel on 127.0.0.1), one real Redis, the simulator, two merchants. Every callback reaches two
/// instances at once, and its first answers are lost so the gateway delivers it again on its (scaled) schedule; the
/// cashiers wait on the third instance.
/// </summary>
public sealed class FleetTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static readonly TimeSpan SlowPolls = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Three_instances_run_each_outcome_once_fetch_one_token_per_merchant_and_wake_a_wait_on_the_third()
    {
        using var fanOut = new FanOutCallbacks { LostAnswers = 2 };
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync(o =>
        {
            o.CallbackHandler = fanOut;
            o.CallbackRetryDelays = AlipayHkGatewaySimulatorOptions.GatewayCallbackRetryDelays;
            o.CallbackTimeScale = 0.001; // 15 s, 30 s, 60 s … become 15 ms, 30 ms, 60 ms …
        });
        var handlerRuns = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        string prefix = $"fleet-{Guid.NewGuid():N}:";
        AppInstance[] fleet = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => AppInstance.StartAsync(
            simulator, redis.Configuration, prefix, handlerRuns, o => (o.PollInitialDelay, o.PollMaxDelay) = (SlowPolls, SlowPolls))));
        try
        {
            fanOut.Targets = [fleet[0].Address, fleet[1].Address];
            var notify = new Uri("http://127.0.0.1:9/"); // the "load balancer": FanOutCallbacks sends each callback on to two instances

            // Cold: all three instances sell for both merchants at once.
            var sales = await Task.WhenAll(
                from instance in Enumerable.Range(0, 3)
                from merchant in new[] { TwoShops.A, TwoShops.B }
                from n in Enumerable.Range(0, 2)
                select CreateAsync(fleet[instance], merchant, $"F{instance}{n}-{merchant}", new Uri(notify, $"/{merchant}/notify")));

            // The cashiers wait on the third instance; the callbacks never reach it.
            var waits = sales.Select(s => (s.Merchant, s.Payment, Wait: fleet[2].Client(s.Merchant).WaitForCompletionAsync(
                PaymentReference.ByOrderId(s.Payment.OrderId), TimeSpan.FromMinutes(2), Ct))).ToList();
            await WhenListeningAsync(fleet[2], waits.Count);

            var latencies = new ConcurrentBag<TimeSpan>();
            var woken = waits.Select(async w =>
            {
                PaymentIntent outcome = await w.Wait;
                long at = Stopwatch.GetTimestamp();
                lock (fanOut.FirstArrival)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(fanOut.FirstArrival.Single(p => p.Key.Contains(w.Payment.OrderId, StringComparison.Ordinal)).Value, at));
                }

                return outcome;
            }).ToList();
            foreach ((string _, PaymentIntent payment) in sales)
            {
                await simulator.CompletePaymentAsync(payment.OrderId, Ct);
            }

            PaymentIntent[] outcomes = await Task.WhenAll(woken).WaitAsync(TimeSpan.FromSeconds(20), Ct);
            foreach ((string _, PaymentIntent payment) in sales)
            {
                CallbackDelivery last = await simulator.WaitForCallbacksSettledAsync(payment.OrderId, Ct);
                Assert.Equal((3, 200), (last.Attempt, last.StatusCode)); // two answers lost, the third delivery accepted
            }

            Assert.All(outcomes, o => Assert.Equal(PaymentStatus.Succeeded, o.Status));
            Assert.Equal(12, handlerRuns.Count);
            Assert.All(handlerRuns, run => Assert.Equal(1, run.Value)); // once per outcome, 6 deliveries each
            Assert.Equal(12 * 3, fanOut.Delivered);
            foreach (SimulatedMerchant merchant in simulator.Merchants.Where(m => m.Name != "default"))
            {
                Assert.Equal(1, simulator.Journal.Count(e => e.Endpoint == SimulatedEndpoint.Auth && e.Query.Contains("uid=" + merchant.Uid, StringComparison.Ordinal)));
            }

            TimeSpan[] sorted = [.. latencies.Order()];
            TestContext.Current.TestOutputHelper?.WriteLine($"callback-to-wake on a third instance: p50 {sorted[sorted.Length / 2].TotalMilliseconds:0.0} ms, max {sorted[^1].TotalMilliseconds:0.0} ms");
            Assert.All(sorted, l => Assert.True(l < TimeSpan.FromSeconds(2), $"a wait took {l.TotalMilliseconds:0} ms after its callback (polls are a minute apart)"));
            await AssertTokensSharedButNeverLoggedAsync(fleet, prefix);
        }
        finally
        {
            foreach (AppInstance instance in fleet)
            {
                await instance.DisposeAsync();
            }
        }
    }

    private static async Task<(string Merchant, PaymentIntent Payment)> CreateAsync(AppInstance instance, string merchant, string merchantOrderId, Uri notifyUrl) =>
        (merchant, await instance.Client(merchant).CreatePaymentAsync(TwoShops.Sale(merchantOrderId, notifyUrl), Ct));

    /// <summary>Waits (bounded) until every wait has made its first query and listens for its signal.</summary>
    private static async Task WhenListeningAsync(AppInstance instance, int count)
    {
        var signals = (RedisCompletionSignals)instance.Services.GetService(typeof(IAlipayHkPayCompletionSignals))!;
        await signals.EnsureSubscribedAsync().WaitAsync(TimeSpan.FromSeconds(10), Ct);
        for (int i = 0; i < count; i++)
        {
            Assert.True(await instance.QueriesAnswered.WaitAsync(TimeSpan.FromSeconds(10), Ct), $"only {i} of {count} waits made their first query");
        }
    }

    private async Task AssertTokensSharedButNeverLoggedAsync(AppInstance[] fleet, string prefix)
    {
        await using ConnectionMultiplexer direct = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        foreach (string merchant in new[] { TwoShops.A, TwoShops.B })
        {
            RedisKey key = prefix + "token:" + merchant;
            string stored = (await direct.GetDatabase().StringGetAsync(key)).ToString();
            TimeSpan? ttl = await direct.GetDatabase().KeyTimeToLiveAsync(key);
            Assert.True(ttl > TimeSpan.Zero, "the shared token is stored with its expiry");
            string token = stored[(stored.IndexOf(':', StringComparison.Ordinal) + 1)..];
            foreach (AppInstance instance in fleet)
            {
                Assert.DoesNotContain(instance.Logs.GetSnapshot(), r => r.Message.Contains(token, StringComparison.Ordinal) || (r.Exception?.ToString().Contains(token, StringComparison.Ordinal) ?? false));
            }
        }
    }
}
