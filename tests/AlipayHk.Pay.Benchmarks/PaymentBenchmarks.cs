using AlipayHk.Pay.Auth;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.Benchmarks;

/// <summary>
/// CreatePayment and GetPayment through the whole SDK (DI-resolved client, bearer handler with a cached token, the
/// resilience handler, the generated Refit client, source-generated JSON, the envelope check and the typed result)
/// against the hand-written call with the standard resilience handler (the baseline: what a merchant writes instead of
/// an SDK, <c>AddStandardResilienceHandler</c> on an <see cref="IHttpClientFactory"/> client) and without it. All call
/// the same gateway: on 127.0.0.1 (Kestrel, a real socket round trip: the budget is at most 1.10× the baseline there),
/// or in memory (client-side cost only; <see cref="PeerBenchmarks"/> holds the in-memory budget).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MedianColumn]
// About 3,000 methods tier up along a call's path (HttpClient, Polly, Refit, System.Text.Json): under JIT the first
// ~115,000 calls run slower. Enough warm-up iterations to measure the steady state.
[WarmupCount(25)]
public class PaymentBenchmarks
{
    private const string Create = "CreatePayment";
    private const string Get = "GetPayment";

    private readonly InMemoryGateway _gateway = new();
    private LoopbackGateway? _loopback;
    private ServiceProvider _services = null!;
    private IAlipayHkPayClient _sdk = null!;
    private HttpClient _http = null!;
    private HandWrittenClient _handWritten = null!;
    private ServiceProvider _handWrittenServices = null!;
    private HandWrittenClient _handWrittenStandard = null!;
    private CreatePaymentRequest _request = null!;
    private PaymentReference _reference = null!;

    /// <summary>Where both sides send their calls.</summary>
    public enum Transport
    {
        /// <summary>The in-memory handler: client-side cost only.</summary>
        InMemory,

        /// <summary>Kestrel on 127.0.0.1 with the default socket handler.</summary>
        Loopback,
    }

    [Params(Transport.InMemory, Transport.Loopback)]
    public Transport Gateway { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        var handWritten = new ServiceCollection();
        if (Gateway == Transport.Loopback)
        {
            _loopback = LoopbackGateway.StartAsync().GetAwaiter().GetResult();
            services.AddSdkAt(_loopback.BaseAddress);
            _http = new HttpClient { BaseAddress = _loopback.BaseAddress };
            handWritten.AddHttpClient("HandWritten", c => c.BaseAddress = _loopback.BaseAddress).AddStandardResilienceHandler();
        }
        else
        {
            services.AddSdkOver(_gateway);
            _http = new HttpClient(_gateway, disposeHandler: false) { BaseAddress = new Uri(GatewayExamples.BaseAddress) };
            handWritten.AddHttpClient("HandWritten", c => c.BaseAddress = new Uri(GatewayExamples.BaseAddress))
                .ConfigurePrimaryHttpMessageHandler(() => _gateway)
                .AddStandardResilienceHandler();
        }

        // The merchant's own client, with the factory's defaults (its logging handlers included) and the standard handler.
        _handWrittenServices = handWritten.BuildServiceProvider();
        _handWrittenStandard = new HandWrittenClient(_handWrittenServices.GetRequiredService<IHttpClientFactory>().CreateClient("HandWritten"), GatewayExamples.AccessToken);

        _services = services.BuildServiceProvider();
        _sdk = _services.GetRequiredService<IAlipayHkPayClient>();
        _handWritten = new HandWrittenClient(_http, GatewayExamples.AccessToken);

        _request = new CreatePaymentRequest
        {
            Amount = 50m,
            MerchantOrderId = "P9297895081903",
            Description = "Order P9297895081903",
            Wallet = AlipayHkWallet.AlipayHk,
        };
        _reference = PaymentReference.ByOrderId("C991289984923795789123");

        // Warm up: the first call fetches the token; both sides then run with a cached one.
        PaymentIntent created = _sdk.CreatePaymentAsync(_request).GetAwaiter().GetResult();
        if (created.NextAction?.Url is null || _sdk.GetPaymentAsync(_reference).GetAwaiter().GetResult().Status != PaymentStatus.Succeeded)
        {
            throw new InvalidOperationException("The SDK did not read the example responses.");
        }

        if (_handWritten.QueryAsync("C991289984923795789123", default).GetAwaiter().GetResult().Status != "SUCCEEDED"
            || _handWrittenStandard.QueryAsync("C991289984923795789123", default).GetAwaiter().GetResult().Status != "SUCCEEDED")
        {
            throw new InvalidOperationException("The baseline did not read the example responses.");
        }

        _ = _services.GetRequiredKeyedService<AccessTokenCache>(string.Empty);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        _handWrittenServices.Dispose();
        _http.Dispose();
        _gateway.Dispose();
        _loopback?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "by hand + standard resilience")]
    [BenchmarkCategory(Create)]
    public Task<HandWrittenPayment> CreateHandWrittenStandard() =>
        _handWrittenStandard.CreateAsync(_request.Amount, _request.MerchantOrderId, _request.Description, default);

    [Benchmark(Description = "by hand")]
    [BenchmarkCategory(Create)]
    public Task<HandWrittenPayment> CreateHandWritten() =>
        _handWritten.CreateAsync(_request.Amount, _request.MerchantOrderId, _request.Description, default);

    [Benchmark(Description = "SDK")]
    [BenchmarkCategory(Create)]
    public Task<PaymentIntent> CreateSdk() => _sdk.CreatePaymentAsync(_request);

    [Benchmark(Baseline = true, Description = "by hand + standard resilience")]
    [BenchmarkCategory(Get)]
    public Task<HandWrittenPayment> GetHandWrittenStandard() => _handWrittenStandard.QueryAsync("C991289984923795789123", default);

    [Benchmark(Description = "by hand")]
    [BenchmarkCategory(Get)]
    public Task<HandWrittenPayment> GetHandWritten() => _handWritten.QueryAsync("C991289984923795789123", default);

    [Benchmark(Description = "SDK")]
    [BenchmarkCategory(Get)]
    public Task<PaymentIntent> GetSdk() => _sdk.GetPaymentAsync(_reference);

    /// <summary>Not a goal, for the record: resolving the transient client per call (as a scoped service would).</summary>
    [Benchmark(Description = "SDK, client resolved per call")]
    [BenchmarkCategory(Get)]
    public Task<PaymentIntent> GetSdkResolvedPerCall() => _services.GetRequiredService<IAlipayHkPayClient>().GetPaymentAsync(_reference);
}
