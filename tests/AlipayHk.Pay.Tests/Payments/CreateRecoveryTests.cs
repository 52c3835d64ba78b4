using System.Net;
using AlipayHk.Pay.Tests.Infrastructure;
using WireMock.ResponseBuilders;

namespace AlipayHk.Pay.Tests.Payments;

/// <summary>
/// A create is never re-sent blindly: after an ambiguous failure the client asks the gateway first.
/// These tests count creates, because two creates for one sale is the failure a merchant cannot afford.
/// </summary>
public sealed class CreateRecoveryTests : IDisposable
{
    private const string MerchantOrderId = "P9297895081903";
    private readonly GatewayStub _gateway = new();

    public void Dispose() => _gateway.Dispose();

    private int Creates => _gateway.Requests(GatewayStub.CreatePath).Count;

    private IReadOnlyList<string> QueryBodies => _gateway.Requests(GatewayStub.QueryPath).Select(e => e.RequestMessage!.Body!).ToList();

    [Fact]
    public async Task A_503_on_create_is_not_retried_but_resolved_by_finding_the_order()
    {
        _gateway.Given(GatewayStub.CreatePath, "<html>503</html>", status: 503, contentType: "text/html");
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.PublishedCreateResponse);
        await using var sdk = new SdkHarness(_gateway);

        PaymentIntent intent = await sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct);

        Assert.Equal("C991289984923795789123", intent.OrderId);
        Assert.Equal(1, Creates);
        Assert.Equal([$$"""{"merchant_order_id":"{{MerchantOrderId}}"}"""], QueryBodies);
        Assert.Contains(sdk.Logs.GetSnapshot(), r => r.Message.Contains("recovered merchant order", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reset_connection_on_create_is_resolved_by_finding_the_order()
    {
        _gateway.GivenSequence(GatewayStub.CreatePath, r => r.WithFault(FaultType.MALFORMED_RESPONSE_CHUNK));
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.PublishedCreateResponse);
        await using var sdk = new SdkHarness(_gateway);

        PaymentIntent intent = await sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct);

        Assert.Equal("C991289984923795789123", intent.OrderId);
        Assert.Equal(1, Creates);
    }

    [Fact]
    public async Task A_create_that_times_out_is_resolved_by_finding_the_order()
    {
        using var hanging = _gateway.GivenFirstCallHangs(GatewayStub.CreatePath, GatewayStub.PublishedCreateResponse);
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.PublishedCreateResponse);
        await using var sdk = new SdkHarness(_gateway, o => o.AttemptTimeout = TimeSpan.FromSeconds(4));

        Task<PaymentIntent> create = sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct);
        // The attempt's timeout timer starts before its request goes out, so once the request has arrived it exists.
        await hanging.Arrived;
        sdk.Time.Advance(TimeSpan.FromSeconds(4));

        Assert.Equal("C991289984923795789123", (await create).OrderId);
        Assert.Equal(1, hanging.Calls);
        Assert.Single(QueryBodies);
    }

    [Fact]
    public async Task When_the_gateway_has_no_such_order_the_create_is_sent_again_with_the_same_merchant_order_id()
    {
        _gateway.GivenSequence(
            GatewayStub.CreatePath,
            r => r.WithStatusCode(502).WithHeader("Content-Type", "text/html").WithBody("<html>502 Bad Gateway</html>"),
            r => GatewayStub.Json(r, GatewayStub.PublishedCreateResponse));
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.NotFoundResponse);
        await using var sdk = new SdkHarness(_gateway);

        PaymentIntent intent = await sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct);

        Assert.Equal(PaymentStatus.Pending, intent.Status);
        var creates = _gateway.Requests(GatewayStub.CreatePath);
        Assert.Equal(2, creates.Count);
        Assert.Equal(creates[0].RequestMessage!.Body, creates[1].RequestMessage!.Body); // same merchant_order_id, same order
        Assert.Single(QueryBodies);
    }

    [Fact]
    public async Task When_the_gateway_cannot_be_asked_the_outcome_is_unknown_and_nothing_is_re_sent()
    {
        _gateway.Given(GatewayStub.CreatePath, string.Empty, status: 504);
        _gateway.Given(GatewayStub.QueryPath, string.Empty, status: 503);
        await using var sdk = new SdkHarness(_gateway);

        var ex = await Assert.ThrowsAsync<AlipayHkPayOutcomeUnknownException>(() => sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct));

        Assert.Equal(MerchantOrderId, ex.MerchantOrderId);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Contains(MerchantOrderId, ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<AlipayHkPayException>(ex);
        Assert.Equal(1, Creates);
        Assert.Equal(3, QueryBodies.Count); // the query itself retried its 503s
    }

    [Fact]
    public async Task An_error_envelope_on_a_5xx_query_means_cannot_tell_not_no_such_order()
    {
        _gateway.Given(GatewayStub.CreatePath, string.Empty, status: 502);
        _gateway.Given(GatewayStub.QueryPath, """{"code":50000,"message":"internal error","rid":"rid-500"}""", status: 500);
        await using var sdk = new SdkHarness(_gateway, o => o.MaxRetryAttempts = 0);

        var ex = await Assert.ThrowsAsync<AlipayHkPayOutcomeUnknownException>(() => sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct));

        Assert.Equal("rid-500", ex.RequestId);
        Assert.Equal(1, Creates); // never re-sent on a guess
    }

    [Fact]
    public async Task When_both_lookups_find_no_order_the_create_says_not_created_and_safe_to_retry_not_unknown()
    {
        _gateway.Given(GatewayStub.CreatePath, string.Empty, status: 500);
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.NotFoundResponse);
        await using var sdk = new SdkHarness(_gateway);

        var ex = await Assert.ThrowsAsync<AlipayHkPayException>(() => sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct));

        Assert.IsNotType<AlipayHkPayOutcomeUnknownException>(ex);
        Assert.True(ex.IsTransient);
        Assert.Contains("not created", ex.Message, StringComparison.Ordinal);
        Assert.Contains("safe to retry with the same MerchantOrderId", ex.Message, StringComparison.Ordinal);
        Assert.Contains(MerchantOrderId, ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, Creates); // the original and exactly one re-send
        Assert.Equal(2, QueryBodies.Count);
    }

    [Fact]
    public async Task When_the_gateway_cannot_be_asked_after_the_re_send_the_outcome_stays_unknown()
    {
        _gateway.Given(GatewayStub.CreatePath, string.Empty, status: 500);
        _gateway.GivenSequence(
            GatewayStub.QueryPath,
            r => GatewayStub.Json(r, GatewayStub.NotFoundResponse),
            r => r.WithStatusCode(503),
            r => r.WithStatusCode(503),
            r => r.WithStatusCode(503));
        await using var sdk = new SdkHarness(_gateway, o => o.MaxRetryAttempts = 0);

        var ex = await Assert.ThrowsAsync<AlipayHkPayOutcomeUnknownException>(() => sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct));

        Assert.Equal(MerchantOrderId, ex.MerchantOrderId);
        Assert.Equal(2, Creates);
    }

    [Fact]
    public async Task A_recovered_create_says_it_has_no_QR_code_to_show()
    {
        _gateway.Given(GatewayStub.CreatePath, "<html>502</html>", status: 502, contentType: "text/html");
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.PublishedQueryResponse);
        await using var sdk = new SdkHarness(_gateway);

        PaymentIntent intent = await sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct);

        Assert.True(intent.IsRecovered);
        Assert.False(intent.HasQrCode);
        Assert.Null(intent.NextAction);
    }

    [Fact]
    public async Task A_create_answered_at_once_is_not_marked_recovered_and_has_its_QR_code()
    {
        _gateway.Given(GatewayStub.CreatePath, GatewayStub.PublishedCreateResponse);
        await using var sdk = new SdkHarness(_gateway);

        PaymentIntent intent = await sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct);

        Assert.False(intent.IsRecovered);
        Assert.True(intent.HasQrCode);
    }

    [Fact]
    public async Task When_the_re_send_is_refused_because_the_first_create_landed_after_all_the_landed_order_is_returned()
    {
        _gateway.GivenSequence(
            GatewayStub.CreatePath,
            r => r.WithStatusCode(503),
            r => GatewayStub.Json(r, """{"code":40009,"message":"merchant_order_id already exists","rid":"rid-dup"}"""));
        _gateway.GivenSequence(
            GatewayStub.QueryPath,
            r => GatewayStub.Json(r, GatewayStub.NotFoundResponse),
            r => GatewayStub.Json(r, GatewayStub.PublishedCreateResponse));
        await using var sdk = new SdkHarness(_gateway);

        PaymentIntent intent = await sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct);

        Assert.Equal("C991289984923795789123", intent.OrderId);
        Assert.Equal(2, Creates);
        Assert.Equal(2, QueryBodies.Count);
    }

    [Fact]
    public async Task A_refused_create_is_final_and_never_looked_up_or_re_sent()
    {
        _gateway.Given(GatewayStub.CreatePath, """{"code":40001,"message":"amount invalid","rid":"rid-1"}""");
        await using var sdk = new SdkHarness(_gateway);

        await Assert.ThrowsAsync<AlipayHkPayApiException>(() => sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct));

        Assert.Equal(1, Creates);
        Assert.Empty(QueryBodies);
    }

    [Fact]
    public async Task A_400_without_an_envelope_is_final_too()
    {
        _gateway.Given(GatewayStub.CreatePath, "<html>Bad Request</html>", status: 400, contentType: "text/html");
        await using var sdk = new SdkHarness(_gateway);

        var ex = await Assert.ThrowsAsync<AlipayHkPayException>(() => sdk.Client.CreatePaymentAsync(Requests.Valid(MerchantOrderId), Ct));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal(1, Creates);
        Assert.Empty(QueryBodies);
    }
}
