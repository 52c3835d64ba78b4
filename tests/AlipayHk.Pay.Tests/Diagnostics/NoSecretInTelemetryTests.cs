using System.Diagnostics;
using System.Text;
using AlipayHk.Pay.Tests.Infrastructure;
using AlipayHk.Pay.Tests.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using WireMock.ResponseBuilders;

namespace AlipayHk.Pay.Tests.Diagnostics;

/// <summary>
/// Whatever a merchant's telemetry pipeline receives (every span attribute, event, status description and metric tag
/// the OpenTelemetry SDK exports, and every log line, at Trace) holds no client secret, no access token, no webhook key
/// and no QR code URL (a bearer of payment): across token fetches, creates (answered, recovered), queries (refused,
/// replayed after a 401), and webhooks (confirmed, rejected).
/// </summary>
public sealed class NoSecretInTelemetryTests : IDisposable
{
    private const string WebhookKey = "whk_KEY_3b9e2c1d5a7f4e60";
    private const string QrCodeUrl = "https://a.payment.link/code"; // the published create answer's next_action.url

    private static readonly string[] Secrets =
    [
        GatewayStub.ClientSecret, "6d0e8fa7b10c40c3",
        GatewayStub.AccessToken, "7f1c2e9a55b34d21",
        WebhookKey, "3b9e2c1d5a7f4e60",
        QrCodeUrl, "a.payment.link",
    ];

    private readonly GatewayStub _gateway = new();

    public void Dispose() => _gateway.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_secret_or_QR_code_URL_reaches_a_span_a_metric_or_a_log_line()
    {
        var metrics = new List<MetricSnapshot>();
        using MeterProvider meters = Sdk.CreateMeterProviderBuilder().AddMeter(AlipayHkPayTelemetry.MeterName).AddInMemoryExporter(metrics).Build()!;
        using var trace = new TraceCapture();
        var failures = new List<Exception>();
        string logs;
        await using (var sdk = new SdkHarness(_gateway, o => o.WebhookKey = WebhookKey))
        {
            IAlipayHkPayWebhookProcessor webhooks = sdk.Services.GetRequiredService<IAlipayHkPayWebhookProcessor>();

            // A token fetch, then a create answered with its QR code.
            _gateway.Given(GatewayStub.CreatePath, GatewayStub.PublishedCreateResponse);
            PaymentIntent created = await sdk.Client.CreatePaymentAsync(Requests.Valid("SECRET-TEST-1"), Ct);
            Assert.Equal(new Uri(QrCodeUrl), created.NextAction!.Url); // the QR code URL did pass through the SDK

            // A create whose answer is lost, recovered by query.
            _gateway.Given(GatewayStub.CreatePath, "<html>502</html>", status: 502, contentType: "text/html");
            _gateway.Given(GatewayStub.QueryPath, GatewayStub.PublishedCreateResponse);
            await sdk.Client.CreatePaymentAsync(Requests.Valid("SECRET-TEST-2"), Ct);

            // A query whose token the gateway no longer accepts (a new token is fetched), then a refused query.
            _gateway.GivenSequence(
                GatewayStub.QueryPath,
                r => GatewayStub.Json(r, """{"code":40101,"message":"invalid or expired access token","rid":"rid-401"}""", 401),
                r => GatewayStub.Json(r, GatewayStub.PublishedQueryResponse));
            await sdk.Client.GetPaymentAsync(PaymentReference.ByOrderId("C991289984923795789123"), Ct);
            _gateway.Server.ResetScenarios();
            _gateway.Server.Reset();
            _gateway.GivenToken();
            _gateway.Given(GatewayStub.QueryPath, GatewayStub.NotFoundResponse);
            failures.Add(await Assert.ThrowsAsync<AlipayHkPayApiException>(() => sdk.Client.GetPaymentAsync(PaymentReference.ByMerchantOrderId("NOPE"), Ct)));

            // Webhooks: confirmed, wrongly signed, malformed.
            _gateway.AnswerQueriesWith("C900", "M900", "SUCCEEDED");
            byte[] body = Encoding.UTF8.GetBytes(WebhookSigning.PaymentSuccess("C900", "M900"));
            await webhooks.ProcessAsync(body, WebhookSigning.Sign(body, WebhookKey), Ct);
            failures.Add(await Assert.ThrowsAsync<AlipayHkPayWebhookException>(() => webhooks.ProcessAsync(body, WebhookSigning.Sign(body, "not-the-key"), Ct)));
            byte[] malformed = Encoding.UTF8.GetBytes("""{"notify_type":"payment_success","data":{"order_id":"C9""");
            failures.Add(await Assert.ThrowsAsync<AlipayHkPayWebhookException>(() => webhooks.ProcessAsync(malformed, WebhookSigning.Sign(malformed, WebhookKey), Ct)));

            logs = sdk.AllLogText();
        }

        // A token fetch the gateway refuses (the secret is in the token URL's query).
        await using (var refused = new SdkHarness(_gateway, o => o.WebhookKey = WebhookKey))
        {
            _gateway.Given(GatewayStub.TokenPath, """{"code":40100,"message":"invalid uid or client_secret","rid":"rid-auth"}""", status: 401);
            failures.Add(await Assert.ThrowsAsync<AlipayHkPayAuthenticationException>(() => refused.Client.GetPaymentAsync(PaymentReference.ByOrderId("C1"), Ct)));
            logs += "\n" + refused.AllLogText();
        }

        meters.ForceFlush();
        IReadOnlyList<Activity> spans = trace.Spans;
        Assert.Contains(spans, s => s.OperationName == "AlipayHkPay.ProcessWebhook");
#if !NETFRAMEWORK // .NET Framework's HttpClient makes no spans of its own (README, "On .NET Framework")
        Assert.Contains(spans, s => s.Source.Name == TraceCapture.HttpClientSource && ((string?)s.GetTagItem("url.full"))?.Contains("/auth", StringComparison.Ordinal) == true);
#endif
        Assert.Contains(metrics, m => m.Name == "alipayhk.token.fetches");
        Assert.Contains(metrics, m => m.Name == "alipayhk.client.create.recoveries");
        Assert.NotEmpty(logs);

        string exported = string.Join('\n', spans.Select(SpanText).Concat(metrics.Select(MetricText)));
        Assert.All(Secrets, secret =>
        {
            Assert.DoesNotContain(secret, exported, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, logs, StringComparison.OrdinalIgnoreCase);
            Assert.All(failures, failure => Assert.DoesNotContain(secret, failure.ToString(), StringComparison.OrdinalIgnoreCase));
        });
    }

    /// <summary>Everything of a span an exporter sends: names, attributes, events, links, status, baggage.</summary>
    private static string SpanText(Activity span)
    {
        var text = new StringBuilder()
            .Append(span.Source.Name).Append(' ').Append(span.OperationName).Append(' ').Append(span.DisplayName).Append(' ')
            .Append(span.Status).Append(' ').Append(span.StatusDescription);
        foreach (KeyValuePair<string, object?> tag in span.TagObjects)
        {
            text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
        }

        foreach (ActivityEvent e in span.Events)
        {
            text.Append(" event ").Append(e.Name);
            foreach (KeyValuePair<string, object?> tag in e.Tags)
            {
                text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
            }
        }

        foreach (ActivityLink link in span.Links)
        {
            foreach (KeyValuePair<string, object?> tag in link.Tags ?? [])
            {
                text.Append(" link ").Append(tag.Key).Append('=').Append(tag.Value);
            }
        }

        foreach (KeyValuePair<string, string?> item in span.Baggage)
        {
            text.Append(" baggage ").Append(item.Key).Append('=').Append(item.Value);
        }

        return text.ToString();
    }

    /// <summary>A metric as exported: its name, description, unit, and every point's tags.</summary>
    private static string MetricText(MetricSnapshot metric)
    {
        var text = new StringBuilder().Append(metric.Name).Append(' ').Append(metric.Description).Append(' ').Append(metric.Unit);
        foreach (MetricPoint point in metric.MetricPoints)
        {
            foreach (KeyValuePair<string, object?> tag in point.Tags)
            {
                text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
            }
        }

        return text.ToString();
    }
}
