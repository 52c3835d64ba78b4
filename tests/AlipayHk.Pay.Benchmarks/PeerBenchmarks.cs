using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;
using Stripe;

namespace AlipayHk.Pay.Benchmarks;

/// <summary>
/// The yardstick of the performance budget: a create and a query through this SDK next to the same kind of call
/// through Stripe.net 53.1.0 (<see cref="PaymentIntentService"/>), and next to the hand-written
/// <see cref="HttpClient"/> + source-generated System.Text.Json call, without and with the standard resilience handler
/// (<c>AddStandardResilienceHandler</c>: what a merchant writes instead of an SDK). Every row runs in the same
/// conditions: its primary handler is in memory, drains the request body and answers with fresh canned bytes
/// (<see cref="InMemoryGateway"/>, <see cref="StripeInMemoryGateway"/>). The budget: the SDK at most 0.35× Stripe.net's
/// time and bytes for the same kind of call; <c>Ratio</c> is against Stripe.net (the baseline of each category).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MedianColumn]
// Thousands of methods tier up along each call's path (HttpClient, Polly, Refit, Newtonsoft.Json, System.Text.Json):
// enough warm-up iterations to measure the steady state.
[WarmupCount(25)]
public class PeerBenchmarks
{
    private const string Create = "Create";
    private const string Query = "Query";
    private const string OrderId = "C991289984923795789123";

    private readonly InMemoryGateway _gateway = new();
    private readonly StripeInMemoryGateway _stripeGateway = new();
    private ServiceProvider _sdkServices = null!;
    private ServiceProvider _handWrittenServices = null!;
    private IAlipayHkPayClient _sdk = null!;
    private HttpClient _plain = null!;
    private HttpClient _stripeHttp = null!;
    private HandWrittenClient _handWritten = null!;
    private HandWrittenClient _handWrittenStandard = null!;
    private PaymentIntentService _stripe = null!;
    private CreatePaymentRequest _request = null!;
    private PaymentReference _reference = null!;
    private PaymentIntentCreateOptions _stripeCreate = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The SDK as a merchant registers it (SdkRegistration), its HTTP answered in memory.
        _sdkServices = new ServiceCollection().AddSdkOver(_gateway).BuildServiceProvider();
        _sdk = _sdkServices.GetRequiredService<IAlipayHkPayClient>();

        // By hand: one plain HttpClient; and a factory client with the standard resilience handler, as a merchant
        // without an SDK registers it (the factory's defaults otherwise, its logging handlers included).
        _plain = new HttpClient(_gateway, disposeHandler: false) { BaseAddress = new Uri(GatewayExamples.BaseAddress) };
        _handWritten = new HandWrittenClient(_plain, GatewayExamples.AccessToken);
        var handWritten = new ServiceCollection();
        handWritten.AddHttpClient("HandWritten", c => c.BaseAddress = new Uri(GatewayExamples.BaseAddress))
            .ConfigurePrimaryHttpMessageHandler(() => _gateway)
            .AddStandardResilienceHandler();
        _handWrittenServices = handWritten.BuildServiceProvider();
        _handWrittenStandard = new HandWrittenClient(_handWrittenServices.GetRequiredService<IHttpClientFactory>().CreateClient("HandWritten"), GatewayExamples.AccessToken);

        // Stripe.net as its documentation shows it, with Stripe.net's defaults (network retries, request telemetry),
        // over an HttpClient whose primary handler answers in memory.
        _stripeHttp = new HttpClient(_stripeGateway, disposeHandler: false);
        _stripe = new PaymentIntentService(new StripeClient(StripeExamples.ApiKey, httpClient: new SystemNetHttpClient(_stripeHttp), apiBase: StripeExamples.BaseAddress));

        _request = new CreatePaymentRequest { Amount = 50m, MerchantOrderId = "P9297895081903", Description = "Order P9297895081903", Wallet = AlipayHkWallet.AlipayHk };
        _reference = PaymentReference.ByOrderId(OrderId);
        _stripeCreate = new PaymentIntentCreateOptions
        {
            Amount = 5000,
            Currency = "hkd",
            AllowedPaymentMethodTypes = ["alipay"],
            PaymentMethodData = new PaymentIntentPaymentMethodDataOptions { Type = "alipay" },
            Confirm = true,
            ReturnUrl = "https://shop.example.hk/checkout/complete?order=P9297895081903",
            Description = "Order P9297895081903",
            Metadata = new Dictionary<string, string> { ["merchant_order_id"] = "P9297895081903" },
        };

        // Every row reads its answer (the SDK's first call also fetches its token).
        if (_sdk.CreatePaymentAsync(_request).GetAwaiter().GetResult().NextAction?.Url is null
            || _sdk.GetPaymentAsync(_reference).GetAwaiter().GetResult().Status != PaymentStatus.Succeeded
            || CreateHandWritten().GetAwaiter().GetResult().QrCodeUrl is null
            || QueryHandWritten().GetAwaiter().GetResult().Status != "SUCCEEDED"
            || CreateHandWrittenStandard().GetAwaiter().GetResult().QrCodeUrl is null
            || QueryHandWrittenStandard().GetAwaiter().GetResult().Status != "SUCCEEDED"
            || CreateStripe().GetAwaiter().GetResult() is not { Status: "requires_action", NextAction.AlipayHandleRedirect.Url: not null }
            || QueryStripe().GetAwaiter().GetResult() is not { Status: "succeeded", AmountReceived: 5000, Shipping.Address.Country: "HK" })
        {
            throw new InvalidOperationException("A row did not read its canned answer.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sdkServices.Dispose();
        _handWrittenServices.Dispose();
        _plain.Dispose();
        _stripeHttp.Dispose();
        _gateway.Dispose();
        _stripeGateway.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Stripe.net 53.1.0")]
    [BenchmarkCategory(Create)]
    public Task<Stripe.PaymentIntent> CreateStripe() => _stripe.CreateAsync(_stripeCreate);

    [Benchmark(Description = "AlipayHk.Pay")]
    [BenchmarkCategory(Create)]
    public Task<PaymentIntent> CreateSdk() => _sdk.CreatePaymentAsync(_request);

    [Benchmark(Description = "by hand")]
    [BenchmarkCategory(Create)]
    public Task<HandWrittenPayment> CreateHandWritten() =>
        _handWritten.CreateAsync(_request.Amount, _request.MerchantOrderId, _request.Description, default);

    [Benchmark(Description = "by hand + standard resilience")]
    [BenchmarkCategory(Create)]
    public Task<HandWrittenPayment> CreateHandWrittenStandard() =>
        _handWrittenStandard.CreateAsync(_request.Amount, _request.MerchantOrderId, _request.Description, default);

    [Benchmark(Baseline = true, Description = "Stripe.net 53.1.0")]
    [BenchmarkCategory(Query)]
    public Task<Stripe.PaymentIntent> QueryStripe() => _stripe.GetAsync(StripeExamples.PaymentIntentId);

    [Benchmark(Description = "AlipayHk.Pay")]
    [BenchmarkCategory(Query)]
    public Task<PaymentIntent> QuerySdk() => _sdk.GetPaymentAsync(_reference);

    [Benchmark(Description = "by hand")]
    [BenchmarkCategory(Query)]
    public Task<HandWrittenPayment> QueryHandWritten() => _handWritten.QueryAsync(OrderId, default);

    [Benchmark(Description = "by hand + standard resilience")]
    [BenchmarkCategory(Query)]
    public Task<HandWrittenPayment> QueryHandWrittenStandard() => _handWrittenStandard.QueryAsync(OrderId, default);
}
