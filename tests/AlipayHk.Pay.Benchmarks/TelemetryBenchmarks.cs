using System.Diagnostics;
using System.Diagnostics.Metrics;
using AlipayHk.Pay.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.Benchmarks;

/// <summary>
/// What the SDK's traces and metrics cost. "nobody listening" is every app that has not turned them on: the operation
/// scope must allocate nothing. "listened" has an <see cref="ActivityListener"/> recording every AlipayHk.Pay span and a
/// <see cref="MeterListener"/> on every AlipayHk.Pay instrument, as an OpenTelemetry SDK would (without its exporters).
/// BenchmarkDotNet runs each case in its own process, so the listeners of one never reach another.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[WarmupCount(25)]
public class TelemetryBenchmarks
{
    private const string Create = "CreatePayment";
    private const string Get = "GetPayment";
    private const string Scope = "Operation scope";

    private readonly InMemoryGateway _gateway = new();
    private ServiceProvider _services = null!;
    private IAlipayHkPayClient _sdk = null!;
    private AlipayHkPayInstruments _instruments = null!;
    private ActivityListener? _spans;
    private MeterListener? _metrics;
    private CreatePaymentRequest _request = null!;
    private PaymentReference _reference = null!;

    [GlobalSetup(Targets = [nameof(CreateListened), nameof(GetListened)])]
    public void SetupListened()
    {
        _spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name == AlipayHkPayTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => { },
        };
        ActivitySource.AddActivityListener(_spans);
        _metrics = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == AlipayHkPayTelemetry.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _metrics.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        _metrics.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        _metrics.Start();
        Setup();
    }

    [GlobalSetup(Targets = [nameof(CreateNobodyListening), nameof(GetNobodyListening), nameof(ScopeNobodyListening)])]
    public void Setup()
    {
        _services = new ServiceCollection().AddSdkOver(_gateway).BuildServiceProvider();
        _sdk = _services.GetRequiredService<IAlipayHkPayClient>();
        _instruments = _services.GetRequiredService<AlipayHkPayInstruments>();
        _request = new CreatePaymentRequest { Amount = 50m, MerchantOrderId = "P9297895081903", Description = "Order P9297895081903", Wallet = AlipayHkWallet.AlipayHk };
        _reference = PaymentReference.ByOrderId("C991289984923795789123");
        _ = _sdk.CreatePaymentAsync(_request).GetAwaiter().GetResult(); // fetches the token
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _spans?.Dispose();
        _metrics?.Dispose();
        _services.Dispose();
        _gateway.Dispose();
    }

    [Benchmark(Baseline = true, Description = "SDK, nobody listening")]
    [BenchmarkCategory(Create)]
    public Task<PaymentIntent> CreateNobodyListening() => _sdk.CreatePaymentAsync(_request);

    [Benchmark(Description = "SDK, spans and metrics listened")]
    [BenchmarkCategory(Create)]
    public Task<PaymentIntent> CreateListened() => _sdk.CreatePaymentAsync(_request);

    [Benchmark(Baseline = true, Description = "SDK, nobody listening")]
    [BenchmarkCategory(Get)]
    public Task<PaymentIntent> GetNobodyListening() => _sdk.GetPaymentAsync(_reference);

    [Benchmark(Description = "SDK, spans and metrics listened")]
    [BenchmarkCategory(Get)]
    public Task<PaymentIntent> GetListened() => _sdk.GetPaymentAsync(_reference);

    /// <summary>The span and the duration measurement of one operation, with its attributes, and nobody listening: 0 B.</summary>
    [Benchmark(Description = "scope with attributes, nobody listening")]
    [BenchmarkCategory(Scope)]
    public void ScopeNobodyListening()
    {
        OperationScope scope = OperationScope.Start(_instruments, "GetPayment", ActivityKind.Client, null);
        scope.SetTag(TelemetryNames.OrderId, "C991289984923795789123");
        scope.Dispose();
    }
}
