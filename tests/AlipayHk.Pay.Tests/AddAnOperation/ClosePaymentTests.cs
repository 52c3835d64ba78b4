using System.Diagnostics;
using System.Diagnostics.Metrics;
using AlipayHk.Pay.Pipeline;
using AlipayHk.Pay.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace AlipayHk.Pay.Tests.AddAnOperation;

// File 2 of 2: the operation of ClosePayment.cs run by the SDK's pipeline against a stub gateway that has the made-up
// endpoint. What it gets without touching the pipeline: its retry declaration honoured, its span, its duration metric,
// typed errors with the gateway's rid, and no secret anywhere.
public sealed class ClosePaymentTests : IDisposable
{
    private const string Order = "C991289984923795789123";
    private const string Closed = """{"code":0,"data":{"order_id":"C991289984923795789123","status":"CANCELLED"},"message":"ok","rid":"rid-close"}""";
    private readonly GatewayStub _gateway = new();

    public void Dispose() => _gateway.Dispose();

    private static GatewayPipeline Pipeline(SdkHarness sdk) => sdk.Services.GetRequiredKeyedService<GatewayPipeline>(string.Empty);

    [Fact]
    public async Task A_new_operation_is_sent_with_a_bearer_token_and_mapped()
    {
        _gateway.Given(ClosePayment.Path, Closed);
        await using var sdk = new SdkHarness(_gateway);

        ClosedPayment closed = await Pipeline(sdk).RunAsync(new ClosePayment(GatewayRetry.Never), Order, Ct);

        Assert.Equal(new ClosedPayment(Order, "CANCELLED", "rid-close"), closed);
        var request = Assert.Single(_gateway.Requests(ClosePayment.Path)).RequestMessage!;
        Assert.Equal($$"""{"order_id":"{{Order}}"}""", request.Body);
        Assert.Equal($"Bearer {GatewayStub.AccessToken}", request.Headers!["Authorization"].Single());
    }

    [Theory]
    [InlineData(true, 2)]
    [InlineData(false, 1)]
    public async Task Its_retry_declaration_decides_whether_a_503_is_sent_again(bool retryable, int sends)
    {
        _gateway.GivenSequence(ClosePayment.Path, r => r.WithStatusCode(503), r => GatewayStub.Json(r, Closed));
        await using var sdk = new SdkHarness(_gateway);
        var close = new ClosePayment(retryable ? GatewayRetry.OnTransientFailure : GatewayRetry.Never);

        Task<ClosedPayment> call = Pipeline(sdk).RunAsync(close, Order, Ct);
        if (retryable)
        {
            Assert.Equal("CANCELLED", (await call).Status);
        }
        else
        {
            var ex = await Assert.ThrowsAsync<AlipayHkPayException>(() => call);
            Assert.True(ex.IsTransient);
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        }

        Assert.Equal(sends, _gateway.Requests(ClosePayment.Path).Count);
    }

    [Fact]
    public async Task It_gets_a_span_and_a_duration_measurement_of_its_own()
    {
        _gateway.Given(ClosePayment.Path, Closed);
        await using var sdk = new SdkHarness(_gateway);
        var spans = new List<Activity>();
        using (TracerProvider tracing = Sdk.CreateTracerProviderBuilder().AddSource(AlipayHkPayTelemetry.ActivitySourceName).AddInMemoryExporter(spans).Build())
        using (var durations = new MetricCollector<double>(sdk.Services.GetRequiredService<IMeterFactory>(), AlipayHkPayTelemetry.MeterName, "alipayhk.client.operation.duration"))
        {
            await Pipeline(sdk).RunAsync(new ClosePayment(GatewayRetry.Never), Order, Ct);

            CollectedMeasurement<double> measurement = Assert.Single(durations.GetMeasurementSnapshot());
            Assert.Equal("ClosePayment", measurement.Tags["alipayhk.operation"]);
        }

        Activity span = Assert.Single(spans, s => s.OperationName == "AlipayHkPay.ClosePayment");
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal(Order, span.GetTagItem("alipayhk.order_id"));
    }

    [Fact]
    public async Task A_refusal_is_a_typed_exception_with_the_gateways_code_and_rid_and_no_secret()
    {
        _gateway.Given(ClosePayment.Path, """{"code":40010,"message":"order already paid","rid":"rid-refused"}""");
        await using var sdk = new SdkHarness(_gateway);

        var ex = await Assert.ThrowsAsync<AlipayHkPayApiException>(() => Pipeline(sdk).RunAsync(new ClosePayment(GatewayRetry.Never), Order, Ct));

        Assert.Equal(40010, ex.Code);
        Assert.Equal("rid-refused", ex.RequestId);
        string everything = $"{ex} {sdk.AllLogText()}";
        Assert.Contains("the close", sdk.AllLogText(), StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayStub.AccessToken, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayStub.ClientSecret, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_is_refused_before_anything_is_sent()
    {
        await using var sdk = new SdkHarness(_gateway);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Pipeline(sdk).RunAsync(new ClosePayment(GatewayRetry.Never), " ", Ct));

        Assert.Equal("orderId", ex.ParamName);
        Assert.Empty(_gateway.Requests(ClosePayment.Path));
    }
}
