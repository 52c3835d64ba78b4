using System.Diagnostics.Metrics;
using System.Text;
using AlipayHk.Pay.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace AlipayHk.Pay.Tests.Diagnostics;

/// <summary>
/// The SDK's instruments on the <see cref="AlipayHkPayTelemetry.MeterName"/> meter, as a dashboard reads them. Each test
/// listens (a MeterListener) only to the meter its own app's <see cref="IMeterFactory"/> made: the SDK takes its meter
/// from the app, so tests running at the same time, each with its own app, do not mix.
/// </summary>
public sealed class MetricsTests : IDisposable
{
    private const string MerchantOrderId = "P9297895081903";
    private const string OrderId = "C991289984923795789123";
    private const string WebhookKey = "webhook-key-for-metrics-tests";
    private readonly GatewayStub _gateway = new();

    public void Dispose() => _gateway.Dispose();

    private static MetricCollector<T> Listen<T>(SdkHarness sdk, string instrument)
        where T : struct =>
        new(sdk.Services.GetRequiredService<IMeterFactory>(), AlipayHkPayTelemetry.MeterName, instrument);

    private static string? Tag<T>(CollectedMeasurement<T> measurement, string name)
        where T : struct =>
        measurement.Tags.TryGetValue(name, out object? value) ? (string?)value : null;

    [Fact]
    public async Task Every_operation_records_its_duration_tagged_with_the_operation_and_on_failure_the_error_type()
    {
        _gateway.Given(GatewayStub.CreatePath, GatewayStub.PublishedCreateResponse);
        _gateway.AnswerQueriesWith(OrderId, MerchantOrderId, "SUCCEEDED");
        await using var sdk = new SdkHarness(_gateway, o => o.WebhookKey = WebhookKey);
        using MetricCollector<double> durations = Listen<double>(sdk, "alipayhk.client.operation.duration");
        string webhook = WebhookSigning.PaymentSuccess(OrderId, MerchantOrderId);

        await sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct);
        await sdk.Client.WaitForCompletionAsync(PaymentReference.ByOrderId(OrderId), TimeSpan.FromMinutes(1), Ct); // one query: paid
        await sdk.Services.GetRequiredService<IAlipayHkPayWebhookProcessor>().ProcessAsync(Encoding.UTF8.GetBytes(webhook), WebhookSigning.Sign(webhook, WebhookKey), Ct);
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.NotFoundResponse);
        await Assert.ThrowsAsync<AlipayHkPayApiException>(() => sdk.Client.GetPaymentAsync(PaymentReference.ByOrderId("C404"), Ct));

        IReadOnlyList<CollectedMeasurement<double>> recorded = durations.GetMeasurementSnapshot();
        Assert.Equal(
            ["CreatePayment:", "GetPayment:", "WaitForCompletion:", "GetPayment:", "ProcessWebhook:", "GetPayment:gateway_refused"],
            recorded.Select(m => $"{Tag(m, "alipayhk.operation")}:{Tag(m, "error.type")}"));
        Assert.All(recorded, m => Assert.InRange(m.Value, 0, 60)); // seconds
        Assert.Equal("s", durations.Instrument!.Unit);
    }

    [Fact]
    public async Task A_rejected_webhook_records_its_duration_with_error_type_webhook_rejected()
    {
        await using var sdk = new SdkHarness(_gateway, o => o.WebhookKey = WebhookKey);
        using MetricCollector<double> durations = Listen<double>(sdk, "alipayhk.client.operation.duration");
        byte[] body = Encoding.UTF8.GetBytes(WebhookSigning.PaymentSuccess(OrderId, MerchantOrderId));

        await Assert.ThrowsAsync<AlipayHkPayWebhookException>(
            () => sdk.Services.GetRequiredService<IAlipayHkPayWebhookProcessor>().ProcessAsync(body, "0000", Ct));

        CollectedMeasurement<double> recorded = Assert.Single(durations.GetMeasurementSnapshot());
        Assert.Equal("ProcessWebhook", Tag(recorded, "alipayhk.operation"));
        Assert.Equal("webhook_rejected", Tag(recorded, "error.type"));
    }

    [Fact]
    public async Task A_create_recovered_by_query_counts_one_recovery_found()
    {
        _gateway.Given(GatewayStub.CreatePath, "<html>502 Bad Gateway</html>", status: 502, contentType: "text/html");
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.PublishedCreateResponse);
        await using var sdk = new SdkHarness(_gateway);
        using MetricCollector<long> recoveries = Listen<long>(sdk, "alipayhk.client.create.recoveries");

        await sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct);

        CollectedMeasurement<long> counted = Assert.Single(recoveries.GetMeasurementSnapshot());
        Assert.Equal(1, counted.Value);
        Assert.Equal("found", Tag(counted, "alipayhk.create.recovery"));
    }

    [Fact]
    public async Task Creates_answered_at_once_count_no_recovery_and_an_unanswerable_one_counts_unknown()
    {
        _gateway.Given(GatewayStub.CreatePath, GatewayStub.PublishedCreateResponse);
        await using var sdk = new SdkHarness(_gateway, o => o.MaxRetryAttempts = 0);
        using MetricCollector<long> recoveries = Listen<long>(sdk, "alipayhk.client.create.recoveries");

        await sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct);
        Assert.Empty(recoveries.GetMeasurementSnapshot());
        _gateway.Given(GatewayStub.CreatePath, string.Empty, status: 504);
        _gateway.Given(GatewayStub.QueryPath, string.Empty, status: 503);
        await Assert.ThrowsAsync<AlipayHkPayOutcomeUnknownException>(() => sdk.Client.CreatePaymentAsync(Requests.Valid("P2"), Ct));

        Assert.Equal("unknown", Tag(Assert.Single(recoveries.GetMeasurementSnapshot()), "alipayhk.create.recovery"));
    }

    [Fact]
    public async Task Token_fetches_are_counted_once_per_fetch_not_per_call()
    {
        _gateway.AnswerQueriesWith(OrderId, MerchantOrderId, "PENDING");
        await using var sdk = new SdkHarness(_gateway);
        using MetricCollector<long> fetches = Listen<long>(sdk, "alipayhk.token.fetches");

        await sdk.Client.GetPaymentAsync(PaymentReference.ByOrderId(OrderId), Ct);
        await sdk.Client.GetPaymentAsync(PaymentReference.ByOrderId(OrderId), Ct); // the cached token

        CollectedMeasurement<long> counted = Assert.Single(fetches.GetMeasurementSnapshot());
        Assert.Equal(1, counted.Value);
        Assert.Null(Tag(counted, "error.type"));
    }

    [Fact]
    public async Task A_refused_token_fetch_is_counted_with_error_type_authentication()
    {
        _gateway.Given(GatewayStub.TokenPath, """{"code":40100,"message":"invalid uid or client_secret","rid":"rid-auth"}""", status: 401);
        await using var sdk = new SdkHarness(_gateway);
        using MetricCollector<long> fetches = Listen<long>(sdk, "alipayhk.token.fetches");

        await Assert.ThrowsAsync<AlipayHkPayAuthenticationException>(() => sdk.Client.GetPaymentAsync(PaymentReference.ByOrderId(OrderId), Ct));

        Assert.Equal("authentication", Tag(Assert.Single(fetches.GetMeasurementSnapshot()), "error.type"));
    }
}
