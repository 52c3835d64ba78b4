using AlipayHk.Pay.Shared;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using AlipayHk.Pay.AspNetCore.Tests.Merchants;
using AlipayHk.Pay.StackExchangeRedis.Tests.Support;
using AlipayHk.Pay.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace AlipayHk.Pay.StackExchangeRedis.Tests;

/// <summary>What a merchant's app does while its Redis is down: each test kills its own redis-server.</summary>
public sealed class RedisDownTests
{
    [Fact]
    public async Task While_Redis_is_down_webhooks_get_503_within_a_second_waits_poll_and_tokens_are_fetched_locally_each_logged_once()
    {
        await using var redis = new RedisServer();
        await redis.StartAsync();
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        var handlerRuns = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        await using AppInstance app = await AppInstance.StartAsync(simulator, redis.Configuration, $"down-{Guid.NewGuid():N}:", handlerRuns, o =>
        {
            o.PollInitialDelay = TimeSpan.FromMilliseconds(20);
            o.PollMaxDelay = TimeSpan.FromMilliseconds(50);
        });
        IAlipayHkPayClient client = app.Client(TwoShops.A);
        PaymentIntent created = await client.CreatePaymentAsync(TwoShops.Sale("DOWN-1", new Uri(app.Address, "/shop-a/notify")), Ct); // token shared through Redis
        await KillAsync(redis, app);

        Task<PaymentIntent> wait = client.WaitForCompletionAsync(PaymentReference.ByOrderId(created.OrderId), TimeSpan.FromMinutes(1), Ct);
        await simulator.CompletePaymentAsync(created.OrderId, Ct);
        CallbackDelivery first = Assert.Single(simulator.CallbackDeliveries);
        var answers = new List<(HttpStatusCode Status, TimeSpan Took)>();
        using var http = new HttpClient { BaseAddress = app.Address };
        for (int i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/shop-a/notify") { Content = new StringContent(first.Body, Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation(simulator.SignatureHeader, first.Signature);
            long started = Stopwatch.GetTimestamp();
            using HttpResponseMessage response = await http.SendAsync(request, Ct);
            answers.Add((response.StatusCode, Stopwatch.GetElapsedTime(started)));
        }

        PaymentIntent polled = await wait.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        int tokenRequests = TokenRequests(simulator);
        simulator.ExpireTokens(); // the next call gets a 401: a new token is needed, and Redis cannot share one
        PaymentIntent later = await client.GetPaymentAsync(PaymentReference.ByOrderId(created.OrderId), Ct);

        Assert.Equal(503, first.StatusCode);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status));
        Assert.All(answers, a => Assert.True(a.Took < TimeSpan.FromSeconds(1), $"answered after {a.Took.TotalMilliseconds:0} ms"));
        Assert.Empty(handlerRuns); // nothing handled without a claim; the gateway delivers it again
        Assert.Equal(PaymentStatus.Succeeded, polled.Status); // learned by polling
        Assert.Equal(PaymentStatus.Succeeded, later.Status);
        Assert.Equal(tokenRequests + 1, TokenRequests(simulator)); // fetched by this instance itself
        var warnings = app.Logs.GetSnapshot().Where(r => r.Level >= LogLevel.Warning).Select(r => r.Message).ToList();
        Assert.Single(warnings, m => m.Contains("Redis is unavailable for webhook duplicate claims", StringComparison.Ordinal));
        Assert.Single(warnings, m => m.Contains("Redis is unavailable for shared access tokens", StringComparison.Ordinal));
        Assert.Single(warnings, m => m.Contains("deduplication store failed", StringComparison.Ordinal)); // 4 deliveries, one line
    }

    [Fact]
    public async Task An_app_starts_while_Redis_is_down_and_answers_webhooks_503_at_once()
    {
        var redis = new RedisServer(); // never started: nothing listens on its port
        // A connect timeout far longer than the answer may take: an app that waited for Redis would be caught.
        string configuration = redis.Configuration.Replace("connectTimeout=2000", "connectTimeout=60000", StringComparison.Ordinal);
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        await using AppInstance app = await AppInstance.StartAsync(simulator, configuration, "never:", new ConcurrentDictionary<string, int>());
        PaymentIntent created = await app.Client(TwoShops.B).CreatePaymentAsync(TwoShops.Sale("COLD-1", new Uri(app.Address, "/shop-b/notify")), Ct);

        long started = Stopwatch.GetTimestamp();
        await simulator.CompletePaymentAsync(created.OrderId, Ct);

        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(20)); // not the 60 s connect timeout
        Assert.Equal(503, Assert.Single(simulator.CallbackDeliveries).StatusCode);
        Assert.Equal(PaymentStatus.Pending, created.Status); // created with a token this instance fetched itself
    }

    private static int TokenRequests(AlipayHkGatewaySimulator simulator) => simulator.Journal.Count(e => e.Endpoint == SimulatedEndpoint.Auth);

    /// <summary>Kills the server and waits (bounded) until the app's connection has noticed.</summary>
    private static async Task KillAsync(RedisServer redis, AppInstance app)
    {
        IConnectionMultiplexer multiplexer = app.Services.GetRequiredService<RedisConnection>().Multiplexer!;
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        multiplexer.ConnectionFailed += (_, _) => lost.TrySetResult();
        await redis.StopAsync();
        if (multiplexer.IsConnected)
        {
            await lost.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        }
    }
}
