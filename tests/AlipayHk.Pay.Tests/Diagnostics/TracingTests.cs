using System.Diagnostics;
using System.Text;
using AlipayHk.Pay.Tests.Infrastructure;
using AlipayHk.Pay.Tests.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using WireMock.ResponseBuilders;

namespace AlipayHk.Pay.Tests.Diagnostics;

/// <summary>
/// What a merchant sees in their tracing backend once they add <see cref="AlipayHkPayTelemetry.ActivitySourceName"/>:
/// one span per public operation (retries and recovery inside it), HttpClient's attempts nested under it, the order and
/// the gateway's rid on it, and failures marked. Read through the real OpenTelemetry SDK.
/// </summary>
public sealed class TracingTests : IDisposable
{
    private const string MerchantOrderId = "P9297895081903";
    private const string OrderId = "C991289984923795789123";
    private const string PublishedRid = "3647575c0e1049439e484a231864da2c";
    private const string WebhookKey = "webhook-key-for-tracing-tests";

    private readonly GatewayStub _gateway = new();
    private readonly TraceCapture _trace = new();

    public void Dispose()
    {
        _trace.Dispose();
        _gateway.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Pending => GatewayStub.PublishedQueryResponse.Replace("SUCCEEDED", "PENDING", StringComparison.Ordinal);

    [Fact]
    public async Task A_create_is_one_client_span_with_the_order_and_the_rid_and_HttpClients_spans_nest_under_it()
    {
        _gateway.Given(GatewayStub.CreatePath, GatewayStub.PublishedCreateResponse);
        await using var sdk = new SdkHarness(_gateway);

        await sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct);

        Activity create = Assert.Single(_trace.Named("AlipayHkPay.CreatePayment"));
        Assert.Equal(ActivityKind.Client, create.Kind);
        Assert.Equal(_trace.Root.SpanId, create.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Unset, create.Status);
        Assert.Equal(MerchantOrderId, create.GetTagItem("alipayhk.merchant_order_id"));
        Assert.Equal(OrderId, create.GetTagItem("alipayhk.order_id"));
        Assert.Equal("PENDING", create.GetTagItem("alipayhk.payment.status"));
        Assert.Equal(PublishedRid, create.GetTagItem("alipayhk.rid"));
        Assert.Null(create.GetTagItem("alipayhk.create.recovery"));
        Assert.Null(create.GetTagItem("error.type"));

#if !NETFRAMEWORK // .NET Framework's HttpClient makes no spans of its own (README, "On .NET Framework")
        // The token fetch and the create itself: HttpClient's spans, both inside the operation.
        Assert.Equal(2, _trace.HttpSpans.Count);
        Assert.All(_trace.HttpSpans, http => Assert.True(_trace.IsUnder(http, create), $"{http.DisplayName} {Url(http)} is not under CreatePayment"));
        Activity post = Assert.Single(_trace.HttpSpans, s => Url(s).EndsWith(GatewayStub.CreatePath, StringComparison.Ordinal));
        Assert.Equal(ActivityKind.Client, post.Kind);
        Assert.Equal(200, post.GetTagItem("http.response.status_code"));
#endif
    }

    [Fact]
    public async Task A_query_is_one_client_span_covering_its_retries_each_attempt_an_HttpClient_span_under_it()
    {
        _gateway.GivenSequence(
            GatewayStub.QueryPath,
            r => r.WithStatusCode(503).WithBody("<html>503</html>"),
            r => GatewayStub.Json(r, GatewayStub.PublishedQueryResponse));
        await using var sdk = new SdkHarness(_gateway);

        await sdk.Client.GetPaymentAsync(PaymentReference.ByOrderId(OrderId), Ct);

        Activity get = Assert.Single(_trace.Named("AlipayHkPay.GetPayment"));
        Assert.Equal(ActivityKind.Client, get.Kind);
        Assert.Equal(ActivityStatusCode.Unset, get.Status);
        Assert.Equal(OrderId, get.GetTagItem("alipayhk.order_id"));
        Assert.Equal(MerchantOrderId, get.GetTagItem("alipayhk.merchant_order_id"));
        Assert.Equal("SUCCEEDED", get.GetTagItem("alipayhk.payment.status"));
        Assert.Equal(PublishedRid, get.GetTagItem("alipayhk.rid"));
#if !NETFRAMEWORK // .NET Framework's HttpClient makes no spans of its own (README, "On .NET Framework")
        Activity[] attempts = [.. _trace.HttpSpans.Where(s => Url(s).EndsWith(GatewayStub.QueryPath, StringComparison.Ordinal)).OrderBy(s => s.StartTimeUtc)];
        Assert.Equal([503, 200], attempts.Select(a => (int)a.GetTagItem("http.response.status_code")!));
        Assert.All(attempts, attempt => Assert.True(_trace.IsUnder(attempt, get)));
#endif
    }

    [Fact]
    public async Task A_create_whose_answer_was_lost_and_found_by_query_says_recovery_found_in_one_span()
    {
        _gateway.Given(GatewayStub.CreatePath, "<html>502 Bad Gateway</html>", status: 502, contentType: "text/html");
        _gateway.Given(GatewayStub.QueryPath, Pending);
        await using var sdk = new SdkHarness(_gateway);

        PaymentIntent intent = await sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct);

        Assert.True(intent.IsRecovered);
        Activity create = Assert.Single(_trace.Named("AlipayHkPay.CreatePayment"));
        Assert.Equal("found", create.GetTagItem("alipayhk.create.recovery"));
        Assert.Equal(ActivityStatusCode.Unset, create.Status);
        Assert.Equal(OrderId, create.GetTagItem("alipayhk.order_id"));
        Assert.Equal("PENDING", create.GetTagItem("alipayhk.payment.status"));
        Assert.Empty(_trace.Named("AlipayHkPay.GetPayment")); // the lookup is part of the create, not an operation of its own
#if !NETFRAMEWORK // .NET Framework's HttpClient makes no spans of its own (README, "On .NET Framework")
        Assert.Contains(_trace.HttpSpans, s => Url(s).EndsWith(GatewayStub.CreatePath, StringComparison.Ordinal) && 502.Equals(s.GetTagItem("http.response.status_code")));
        Assert.Contains(_trace.HttpSpans, s => Url(s).EndsWith(GatewayStub.QueryPath, StringComparison.Ordinal));
        Assert.All(_trace.HttpSpans, http => Assert.True(_trace.IsUnder(http, create)));
#endif
    }

    [Fact]
    public async Task A_create_the_gateway_has_no_order_for_is_resent_and_says_recovery_resent()
    {
        _gateway.GivenSequence(
            GatewayStub.CreatePath,
            r => r.WithStatusCode(502).WithBody("<html>502</html>"),
            r => GatewayStub.Json(r, GatewayStub.PublishedCreateResponse));
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.NotFoundResponse);
        await using var sdk = new SdkHarness(_gateway);

        await sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct);

        Activity create = Assert.Single(_trace.Named("AlipayHkPay.CreatePayment"));
        Assert.Equal("resent", create.GetTagItem("alipayhk.create.recovery"));
        Assert.Equal(PublishedRid, create.GetTagItem("alipayhk.rid"));
    }

    [Fact]
    public async Task A_create_that_was_never_created_fails_with_error_type_not_created_and_the_rid()
    {
        _gateway.Given(GatewayStub.CreatePath, """{"code":50000,"message":"internal error","rid":"rid-create-500"}""", status: 500);
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.NotFoundResponse);
        await using var sdk = new SdkHarness(_gateway);

        var failure = await Assert.ThrowsAsync<AlipayHkPayException>(() => sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct));

        Activity create = Assert.Single(_trace.Named("AlipayHkPay.CreatePayment"));
        Assert.Equal(ActivityStatusCode.Error, create.Status);
        Assert.Equal(failure.Message, create.StatusDescription);
        Assert.Equal("not_created", create.GetTagItem("error.type"));
        Assert.Equal("not_created", create.GetTagItem("alipayhk.create.recovery"));
        Assert.Equal(MerchantOrderId, create.GetTagItem("alipayhk.merchant_order_id"));
        Assert.NotNull(failure.RequestId);
        Assert.Equal(failure.RequestId, create.GetTagItem("alipayhk.rid")); // the rid the exception quotes
    }

    [Fact]
    public async Task A_create_whose_outcome_cannot_be_told_fails_with_error_type_outcome_unknown()
    {
        _gateway.Given(GatewayStub.CreatePath, string.Empty, status: 502);
        _gateway.Given(GatewayStub.QueryPath, """{"code":50000,"message":"internal error","rid":"rid-500"}""", status: 500);
        await using var sdk = new SdkHarness(_gateway, o => o.MaxRetryAttempts = 0);

        await Assert.ThrowsAsync<AlipayHkPayOutcomeUnknownException>(() => sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct));

        Activity create = Assert.Single(_trace.Named("AlipayHkPay.CreatePayment"));
        Assert.Equal(ActivityStatusCode.Error, create.Status);
        Assert.Equal("outcome_unknown", create.GetTagItem("error.type"));
        Assert.Equal("unknown", create.GetTagItem("alipayhk.create.recovery"));
        Assert.Equal("rid-500", create.GetTagItem("alipayhk.rid"));
    }

    [Fact]
    public async Task A_refused_query_fails_its_span_with_status_Error_error_type_and_the_gateways_rid()
    {
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.NotFoundResponse);
        await using var sdk = new SdkHarness(_gateway);

        var refused = await Assert.ThrowsAsync<AlipayHkPayApiException>(() => sdk.Client.GetPaymentAsync(PaymentReference.ByMerchantOrderId("NOPE-1"), Ct));

        Activity get = Assert.Single(_trace.Named("AlipayHkPay.GetPayment"));
        Assert.Equal(ActivityStatusCode.Error, get.Status);
        Assert.Equal(refused.Message, get.StatusDescription);
        Assert.Equal("gateway_refused", get.GetTagItem("error.type"));
        Assert.Equal("rid-not-found", get.GetTagItem("alipayhk.rid"));
        Assert.Equal("NOPE-1", get.GetTagItem("alipayhk.merchant_order_id"));
        Assert.Null(get.GetTagItem("alipayhk.payment.status"));
    }

    [Fact]
    public async Task A_query_that_cannot_get_a_token_fails_with_error_type_authentication()
    {
        _gateway.Given(GatewayStub.TokenPath, """{"code":40100,"message":"invalid uid or client_secret","rid":"rid-auth"}""", status: 401);
        await using var sdk = new SdkHarness(_gateway);

        await Assert.ThrowsAsync<AlipayHkPayAuthenticationException>(() => sdk.Client.GetPaymentAsync(PaymentReference.ByOrderId(OrderId), Ct));

        Activity get = Assert.Single(_trace.Named("AlipayHkPay.GetPayment"));
        Assert.Equal(ActivityStatusCode.Error, get.Status);
        Assert.Equal("authentication", get.GetTagItem("error.type"));
        Assert.Equal("rid-auth", get.GetTagItem("alipayhk.rid"));
    }

    [Fact]
    public async Task WaitForCompletion_is_one_internal_span_with_a_GetPayment_span_per_poll()
    {
        _gateway.GivenSequence(
            GatewayStub.QueryPath,
            r => GatewayStub.Json(r, Pending),
            r => GatewayStub.Json(r, GatewayStub.PublishedQueryResponse));
        await using var sdk = new SdkHarness(_gateway);

        Task<PaymentIntent> wait = sdk.Client.WaitForCompletionAsync(PaymentReference.ByOrderId(OrderId), TimeSpan.FromMinutes(1), Ct);
        await sdk.Time.WaitForTimerAsync(TimeSpan.FromSeconds(1)); // the pause after the first, pending, answer
        sdk.Time.Advance(TimeSpan.FromSeconds(1));
        await wait;

        Activity waitSpan = Assert.Single(_trace.Named("AlipayHkPay.WaitForCompletion"));
        Assert.Equal(ActivityKind.Internal, waitSpan.Kind);
        Assert.Equal(_trace.Root.SpanId, waitSpan.ParentSpanId);
        Assert.Equal(OrderId, waitSpan.GetTagItem("alipayhk.order_id"));
        Assert.Equal("SUCCEEDED", waitSpan.GetTagItem("alipayhk.payment.status"));
        Activity[] polls = [.. _trace.Named("AlipayHkPay.GetPayment").OrderBy(a => a.StartTimeUtc)];
        Assert.Equal(["PENDING", "SUCCEEDED"], polls.Select(p => (string)p.GetTagItem("alipayhk.payment.status")!));
        Assert.All(polls, poll => Assert.Equal(waitSpan.SpanId, poll.ParentSpanId));
        Assert.All(_trace.HttpSpans, http => Assert.True(_trace.IsUnder(http, waitSpan)));
    }

    [Fact]
    public async Task ProcessWebhook_is_one_internal_span_with_the_confirming_query_under_it()
    {
        _gateway.AnswerQueriesWith("C100", "M100", "SUCCEEDED");
        await using var sdk = new SdkHarness(_gateway, o => o.WebhookKey = WebhookKey);
        string body = WebhookSigning.PaymentSuccess("C100", "M100");

        await sdk.Services.GetRequiredService<IAlipayHkPayWebhookProcessor>().ProcessAsync(Encoding.UTF8.GetBytes(body), WebhookSigning.Sign(body, WebhookKey), Ct);

        Activity webhook = Assert.Single(_trace.Named("AlipayHkPay.ProcessWebhook"));
        Assert.Equal(ActivityKind.Internal, webhook.Kind);
        Assert.Equal(ActivityStatusCode.Unset, webhook.Status);
        Assert.Equal("C100", webhook.GetTagItem("alipayhk.order_id"));
        Assert.Equal("M100", webhook.GetTagItem("alipayhk.merchant_order_id"));
        Assert.Equal("SUCCEEDED", webhook.GetTagItem("alipayhk.payment.status"));
        Assert.Equal("rid-1", webhook.GetTagItem("alipayhk.rid"));
        Activity confirm = Assert.Single(_trace.Named("AlipayHkPay.GetPayment"));
        Assert.Equal(webhook.SpanId, confirm.ParentSpanId);
    }

    [Fact]
    public async Task A_rejected_webhook_fails_its_span_with_error_type_webhook_rejected_and_asks_the_gateway_nothing()
    {
        await using var sdk = new SdkHarness(_gateway, o => o.WebhookKey = WebhookKey);
        byte[] body = Encoding.UTF8.GetBytes(WebhookSigning.PaymentSuccess("C101", "M101"));

        await Assert.ThrowsAsync<AlipayHkPayWebhookException>(
            () => sdk.Services.GetRequiredService<IAlipayHkPayWebhookProcessor>().ProcessAsync(body, WebhookSigning.Sign(body, "not-the-key"), Ct));

        Activity webhook = Assert.Single(_trace.Named("AlipayHkPay.ProcessWebhook"));
        Assert.Equal(ActivityStatusCode.Error, webhook.Status);
        Assert.Equal("webhook_rejected", webhook.GetTagItem("error.type"));
        Assert.Empty(_trace.Named("AlipayHkPay.GetPayment"));
        Assert.Empty(_trace.HttpSpans);
    }

    private static string Url(Activity http) => http.GetTagItem("url.full") as string ?? string.Empty;
}
