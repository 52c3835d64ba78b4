using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.Benchmarks;

/// <summary>
/// Where GetPayment's cost goes, layer by layer: the hand-written call over a plain HttpClient, the same call
/// over the SDK's named HttpClient (logging handlers, resilience pipeline, bearer handler), and the whole SDK (the
/// operation pipeline: generated Refit client, envelope check, mapping, span and log call).
/// </summary>
[MemoryDiagnoser]
// About 2,000 methods tier up along a call's path (HttpClient, Polly, Refit, System.Text.Json): under JIT the first
// ~100,000 calls run slower. Enough warm-up iterations to measure the steady state.
[WarmupCount(25)]
public class BreakdownBenchmarks
{
    private readonly InMemoryGateway _gateway = new();
    private ServiceProvider _services = null!;
    private HttpClient _plain = null!;
    private HandWrittenClient _overPlain = null!;
    private HandWrittenClient _overPipeline = null!;
    private HandWrittenClient _loggersOnly = null!;
    private IAlipayHkPayClient _sdk = null!;
    private PaymentReference _reference = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddSdkOver(_gateway);
        services.AddHttpClient("LoggersOnly", c => c.BaseAddress = new Uri(GatewayExamples.BaseAddress)).ConfigurePrimaryHttpMessageHandler(() => _gateway);
        _services = services.BuildServiceProvider();
        _loggersOnly = new HandWrittenClient(_services.GetRequiredService<IHttpClientFactory>().CreateClient("LoggersOnly"), GatewayExamples.AccessToken);
        _sdk = _services.GetRequiredService<IAlipayHkPayClient>();
        _plain = new HttpClient(_gateway, disposeHandler: false) { BaseAddress = new Uri(GatewayExamples.BaseAddress) };
        _overPlain = new HandWrittenClient(_plain, GatewayExamples.AccessToken);
        _overPipeline = new HandWrittenClient(_services.GetRequiredService<IHttpClientFactory>().CreateClient("AlipayHkPay.Payments"), GatewayExamples.AccessToken);
        _reference = PaymentReference.ByOrderId("C991289984923795789123");
        _ = _sdk.GetPaymentAsync(_reference).GetAwaiter().GetResult(); // fetches the token
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        _plain.Dispose();
        _gateway.Dispose();
    }

    [Benchmark(Baseline = true, Description = "by hand, plain HttpClient")]
    public Task<HandWrittenPayment> HandWrittenPlain() => _overPlain.QueryAsync("C991289984923795789123", default);

    [Benchmark(Description = "by hand, over the SDK's handler chain")]
    public Task<HandWrittenPayment> HandWrittenOverPipeline() => _overPipeline.QueryAsync("C991289984923795789123", default);

    [Benchmark(Description = "by hand, over the factory's default logging handlers only")]
    public Task<HandWrittenPayment> LoggersOnly() => _loggersOnly.QueryAsync("C991289984923795789123", default);

    [Benchmark(Description = "SDK")]
    public Task<PaymentIntent> Sdk() => _sdk.GetPaymentAsync(_reference);
}
