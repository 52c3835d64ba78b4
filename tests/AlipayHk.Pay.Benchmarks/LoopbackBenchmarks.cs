using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.Benchmarks;

/// <summary>
/// For the record, next to the in-memory comparison: the same create and query against a gateway on 127.0.0.1, so that
/// both sides pay a real socket round trip (still without the internet's milliseconds). Both use the default
/// <c>SocketsHttpHandler</c> with pooled keep-alive connections.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[WarmupCount(25)]
public class LoopbackBenchmarks
{
    private const string Create = "CreatePayment (loopback)";
    private const string Get = "GetPayment (loopback)";

    private LoopbackGateway _gateway = null!;
    private ServiceProvider _services = null!;
    private IAlipayHkPayClient _sdk = null!;
    private HttpClient _http = null!;
    private HandWrittenClient _handWritten = null!;
    private CreatePaymentRequest _request = null!;
    private PaymentReference _reference = null!;

    [GlobalSetup]
    public void Setup()
    {
        _gateway = LoopbackGateway.StartAsync().GetAwaiter().GetResult();
        var services = new ServiceCollection();
        services.AddAlipayHkPay(o =>
        {
            o.BaseAddress = _gateway.BaseAddress;
            o.Uid = "39172931";
            o.ClientSecret = "bench-client-secret";
        });
        _services = services.BuildServiceProvider();
        _sdk = _services.GetRequiredService<IAlipayHkPayClient>();
        _http = new HttpClient { BaseAddress = _gateway.BaseAddress };
        _handWritten = new HandWrittenClient(_http, GatewayExamples.AccessToken);
        _request = new CreatePaymentRequest { Amount = 50m, MerchantOrderId = "P9297895081903", Description = "Order P9297895081903", Wallet = AlipayHkWallet.AlipayHk };
        _reference = PaymentReference.ByOrderId("C991289984923795789123");
        if (_sdk.CreatePaymentAsync(_request).GetAwaiter().GetResult().NextAction?.Url is null
            || _handWritten.QueryAsync("C991289984923795789123", default).GetAwaiter().GetResult().Status != "SUCCEEDED")
        {
            throw new InvalidOperationException("The loopback gateway did not answer with the examples.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        _http.Dispose();
        _gateway.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "HttpClient by hand")]
    [BenchmarkCategory(Create)]
    public Task<HandWrittenPayment> CreateHandWritten() =>
        _handWritten.CreateAsync(_request.Amount, _request.MerchantOrderId, _request.Description, default);

    [Benchmark(Description = "SDK")]
    [BenchmarkCategory(Create)]
    public Task<PaymentIntent> CreateSdk() => _sdk.CreatePaymentAsync(_request);

    [Benchmark(Baseline = true, Description = "HttpClient by hand")]
    [BenchmarkCategory(Get)]
    public Task<HandWrittenPayment> GetHandWritten() => _handWritten.QueryAsync("C991289984923795789123", default);

    [Benchmark(Description = "SDK")]
    [BenchmarkCategory(Get)]
    public Task<PaymentIntent> GetSdk() => _sdk.GetPaymentAsync(_reference);
}
