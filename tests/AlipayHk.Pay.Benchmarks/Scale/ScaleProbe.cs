using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using AlipayHk.Pay.Shared;
using AlipayHk.Pay.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.Benchmarks.Scale;

/// <summary>
/// `-- --scale`: issue 10's numbers, measured end to end over loopback with the simulator, real Kestrel instances and a
/// real redis-server (started here, on a free port, without persistence): gateway queries per completed payment with and
/// without webhooks, callback-to-wake latency in-process and across instances, handler runs per outcome under
/// concurrent duplicate deliveries, and token requests of N instances started cold together.
/// </summary>
internal static class ScaleProbe
{
    private const string Merchant = "shop-a";
    private static readonly TimeSpan SlowPolls = TimeSpan.FromMinutes(1);

    internal static async Task RunAsync()
    {
        await using var redis = new RedisServer();
        await redis.StartAsync();
        Console.WriteLine($"redis-server on 127.0.0.1:{redis.Port}; {Environment.ProcessorCount} cores; .NET {Environment.Version}");
        await QueriesPerPaymentAsync(webhooks: true);
        await QueriesPerPaymentAsync(webhooks: true, backstop: TimeSpan.FromSeconds(15));
        await QueriesPerPaymentAsync(webhooks: false);
        await WakeLatencyAsync(redis, acrossInstances: false, rounds: 200);
        await WakeLatencyAsync(redis, acrossInstances: true, rounds: 200);
        await DuplicatesAsync(redis, outcomes: 100, copies: 8);
        foreach (int instances in new[] { 1, 3, 10 })
        {
            await ColdTokensAsync(redis, instances, shared: true);
        }

        await ColdTokensAsync(redis, 10, shared: false);
    }

    /// <summary>
    /// 20 payments paid at times spread evenly from 0.3 s to 3 s after their create, each waited for with the SDK's
    /// polling schedule scaled by 1/10 (100 ms doubling to 500 ms; the defaults are 1 s doubling to 5 s, so these are
    /// shoppers paying after 3 to 30 s): how many queries the gateway answered per payment (the webhook's confirming
    /// query included), and how long after the payment the wait returned.
    /// </summary>
    /// <remarks>
    /// With <paramref name="backstop"/> (<c>WebhookBackstopDelay</c>), the waits count on the webhook and poll only as a
    /// backstop; the one query left per payment is the webhook processor's, which confirms the callback.
    /// </remarks>
    private static async Task QueriesPerPaymentAsync(bool webhooks, TimeSpan? backstop = null)
    {
        const int Payments = 20;
        await using AlipayHkGatewaySimulator simulator = await Simulator();
        await using ScaleApp app = await ScaleApp.StartAsync(simulator, null, "q:", new(), new(), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), backstop);
        IAlipayHkPayClient client = app.Client(Merchant);
        var afterPayment = new ConcurrentBag<double>();
        await Task.WhenAll(Enumerable.Range(0, Payments).Select(async n =>
        {
            PaymentIntent created = await client.CreatePaymentAsync(Sale($"Q{webhooks}{backstop is not null}{n}", webhooks ? app.NotifyUrl(Merchant) : null));
            Task<PaymentIntent> wait = client.WaitForCompletionAsync(PaymentReference.ByOrderId(created.OrderId), TimeSpan.FromMinutes(1));
            await Task.Delay(TimeSpan.FromMilliseconds(300 + (2700 * n / (Payments - 1))));
            long paid = Stopwatch.GetTimestamp();
            await simulator.CompletePaymentAsync(created.OrderId);
            await wait;
            afterPayment.Add(Stopwatch.GetElapsedTime(paid).TotalMilliseconds);
        }));
        double queries = simulator.Journal.Count(e => e.Endpoint == SimulatedEndpoint.Query) / (double)Payments;
        List<double> sorted = [.. afterPayment.Order()];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"queries per completed payment, {(webhooks ? backstop is null ? "with webhooks" : $"with webhooks, WebhookBackstopDelay {backstop.Value.TotalSeconds:0} s" : "polling only")}: {queries:0.00}; wait returned p50 {Percentile(sorted, 0.5):0} ms, max {sorted[^1]:0} ms after the payment (polls 100 ms doubling to 500 ms, payments 0.3-3 s after the create)"));
    }

    /// <summary>Callback arrival (at the endpoint) to the wait returning, one payment at a time.</summary>
    private static async Task WakeLatencyAsync(RedisServer redis, bool acrossInstances, int rounds)
    {
        await using AlipayHkGatewaySimulator simulator = await Simulator();
        var arrivals = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        string? redisConfiguration = acrossInstances ? redis.Configuration : null;
        string prefix = $"wake-{Guid.NewGuid():N}:";
        await using ScaleApp receiver = await ScaleApp.StartAsync(simulator, redisConfiguration, prefix, new(), arrivals, SlowPolls, SlowPolls);
        await using ScaleApp waiter = acrossInstances ? await ScaleApp.StartAsync(simulator, redisConfiguration, prefix, new(), arrivals, SlowPolls, SlowPolls) : receiver;
        var latencies = new List<double>(rounds);
        for (int n = 0; n < rounds + 10; n++)
        {
            PaymentIntent created = await receiver.Client(Merchant).CreatePaymentAsync(Sale($"W{acrossInstances}{n}", receiver.NotifyUrl(Merchant)));
            Task<PaymentIntent> wait = waiter.Client(Merchant).WaitForCompletionAsync(PaymentReference.ByOrderId(created.OrderId), TimeSpan.FromMinutes(1));
            await WhenListeningAsync(simulator, created.OrderId);
            await simulator.CompletePaymentAsync(created.OrderId);
            await wait;
            long woken = Stopwatch.GetTimestamp();
            if (n >= 10)
            {
                latencies.Add(Stopwatch.GetElapsedTime(arrivals[created.OrderId], woken).TotalMilliseconds);
            }
        }

        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"callback-to-wake {(acrossInstances ? "across instances (Redis pub/sub)" : "in-process")}: p50 {Percentile(latencies, 0.50):0.00} ms, p99 {Percentile(latencies, 0.99):0.00} ms, max {latencies[^1]:0.00} ms ({rounds} payments; callback arrival includes the confirming query)"));
    }

    /// <summary>Each outcome's signed callback posted <paramref name="copies"/> times at once, spread over three instances sharing Redis.</summary>
    private static async Task DuplicatesAsync(RedisServer redis, int outcomes, int copies)
    {
        await using AlipayHkGatewaySimulator simulator = await Simulator();
        var runs = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        string prefix = $"dup-{Guid.NewGuid():N}:";
        ScaleApp[] fleet = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ScaleApp.StartAsync(simulator, redis.Configuration, prefix, runs, new(), SlowPolls, SlowPolls)));
        using var http = new HttpClient();
        var answers = new ConcurrentDictionary<HttpStatusCode, int>();
        try
        {
            var unreachable = new Uri("http://127.0.0.1:9/shop-a/notify"); // the simulator's own delivery fails: the probe delivers
            for (int n = 0; n < outcomes; n++)
            {
                PaymentIntent created = await fleet[0].Client(Merchant).CreatePaymentAsync(Sale($"D{n}", unreachable));
                await simulator.CompletePaymentAsync(created.OrderId);
                CallbackDelivery callback = simulator.CallbackDeliveries.First(d => d.OrderId == created.OrderId);
                await Task.WhenAll(Enumerable.Range(0, copies).Select(async copy =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, fleet[copy % 3].NotifyUrl(Merchant)) { Content = new StringContent(callback.Body, Encoding.UTF8, "application/json") };
                    request.Headers.TryAddWithoutValidation(simulator.SignatureHeader, callback.Signature);
                    using HttpResponseMessage response = await http.SendAsync(request);
                    answers.AddOrUpdate(response.StatusCode, 1, (_, c) => c + 1);
                }));
            }
        }
        finally
        {
            foreach (ScaleApp app in fleet)
            {
                await app.DisposeAsync();
            }
        }

        string spread = string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{(int)a.Key}: {a.Value}"));
        Console.WriteLine($"handler runs per outcome, {copies} concurrent deliveries over 3 instances: min {runs.Values.Min()}, max {runs.Values.Max()} ({runs.Count} of {outcomes} outcomes handled; answers {spread})");
    }

    /// <summary>N instances started together, each making its first call at once: how many token requests the gateway saw.</summary>
    private static async Task ColdTokensAsync(RedisServer redis, int instances, bool shared)
    {
        await using AlipayHkGatewaySimulator simulator = await Simulator();
        string prefix = $"cold-{Guid.NewGuid():N}:";
        var providers = Enumerable.Range(0, instances).Select(_ =>
        {
            var services = new ServiceCollection().AddLogging();
            foreach (string merchant in ScaleApp.Merchants)
            {
                services.AddAlipayHkPay(merchant, options => simulator.ConfigureClient(merchant, options));
            }

            if (shared)
            {
                services.AddAlipayHkPayRedis(options =>
                {
                    options.Configuration = redis.Configuration;
                    options.KeyPrefix = prefix;
                    options.OperationTimeout = TimeSpan.FromSeconds(2);
                });
            }

            return services.BuildServiceProvider();
        }).ToList();
        try
        {
            await Task.WhenAll(
                from provider in providers
                from merchant in ScaleApp.Merchants
                select provider.GetRequiredKeyedService<IAlipayHkPayClient>(merchant).CreatePaymentAsync(Sale($"T{Guid.NewGuid():N}"[..20], null)));
        }
        finally
        {
            foreach (ServiceProvider provider in providers)
            {
                await provider.DisposeAsync();
            }
        }

        int requests = simulator.Journal.Count(e => e.Endpoint == SimulatedEndpoint.Auth);
        Console.WriteLine($"token requests, {instances} instances started cold together, 2 merchants, {(shared ? "Redis" : "no Redis")}: {requests} ({requests / 2.0:0.#} per merchant)");
    }

    /// <summary>Waits until the wait's first query was answered: it listens for its signal from before that query.</summary>
    private static async Task WhenListeningAsync(AlipayHkGatewaySimulator simulator, string orderId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!simulator.Journal.Any(e => e.Endpoint == SimulatedEndpoint.Query && e.StatusCode is not null && e.Body.Contains(orderId, StringComparison.Ordinal)))
        {
            await Task.Delay(1, timeout.Token);
        }
    }

    private static Task<AlipayHkGatewaySimulator> Simulator()
    {
        var options = new AlipayHkGatewaySimulatorOptions { CallbackRetryDelays = [] };
        foreach (string merchant in ScaleApp.Merchants)
        {
            options.Merchants.Add(new SimulatedMerchant { Name = merchant });
        }

        return AlipayHkGatewaySimulator.StartAsync(options);
    }

    private static CreatePaymentRequest Sale(string merchantOrderId, Uri? notifyUrl) => new()
    {
        Amount = 12.50m,
        MerchantOrderId = merchantOrderId,
        Description = "Two coffees",
        Wallet = AlipayHkWallet.AlipayHk,
        NotifyUrl = notifyUrl,
    };

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
