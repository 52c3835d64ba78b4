using System.Net;
using AlipayHk.Pay.Tests.Infrastructure;

namespace AlipayHk.Pay.Tests.Payments;

public sealed class WireFormatTests : IDisposable
{
    private readonly GatewayStub _gateway = new();

    public void Dispose() => _gateway.Dispose();

    [Fact]
    public async Task Create_sends_the_published_request_json_with_a_bearer_token()
    {
        _gateway.Given(GatewayStub.CreatePath, GatewayStub.PublishedCreateResponse);
        await using var sdk = new SdkHarness(_gateway);

        await sdk.Client.CreatePaymentAsync(Requests.Valid(), TestContext.Current.CancellationToken);

        var create = Assert.Single(_gateway.Requests(GatewayStub.CreatePath));
        Assert.Equal("POST", create.RequestMessage!.Method);
        Assert.Equal(
            """{"amount":"1","currency":"HKD","merchant_order_id":"P9297895081903","payment_method":{"type":"alipayhk","alipayhk":{"flow":"csb_qrcode","payment_method":"ALIPAYCN"}},"description":"Instore Payment","notify_url":"https://put_your_site_here/example_url"}""",
            create.RequestMessage!.Body);
        Assert.Equal($"Bearer {GatewayStub.AccessToken}", create.RequestMessage!.Headers!["Authorization"].Single());
    }

    [Theory]
    [InlineData("12.5", "12.5")]
    [InlineData("105.00", "105.00")]
    [InlineData("0.01", "0.01")]
    [InlineData("1234567.89", "1234567.89")]
    [InlineData("50.000000", "50.00")] // trailing zeros beyond the cent: still at most 2 decimals on the wire
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")] // decimal.MaxValue fits string(32)
    public async Task Amount_is_sent_as_an_invariant_string_without_exponent(string amount, string expected)
    {
        _gateway.Given(GatewayStub.CreatePath, GatewayStub.PublishedCreateResponse);
        await using var sdk = new SdkHarness(_gateway);
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE"); // a comma-decimal culture
        try
        {
            await sdk.Client.CreatePaymentAsync(
                new CreatePaymentRequest { Amount = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), MerchantOrderId = "M-1", Description = "Tea", Wallet = AlipayHkWallet.AlipayHk },
                TestContext.Current.CancellationToken);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }

        string body = Assert.Single(_gateway.Requests(GatewayStub.CreatePath)).RequestMessage!.Body!;
        Assert.Contains($"\"amount\":\"{expected}\"", body, StringComparison.Ordinal);
        Assert.Contains("\"payment_method\":\"ALIPAYHK\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("notify_url", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_by_order_id_sends_only_the_order_id()
    {
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.PublishedQueryResponse);
        await using var sdk = new SdkHarness(_gateway);

        await sdk.Client.GetPaymentAsync(PaymentReference.ByOrderId("C991289984923795789123"), TestContext.Current.CancellationToken);

        Assert.Equal("""{"order_id":"C991289984923795789123"}""", Assert.Single(_gateway.Requests(GatewayStub.QueryPath)).RequestMessage!.Body);
    }

    [Fact]
    public async Task Query_by_merchant_order_id_sends_only_the_merchant_order_id()
    {
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.PublishedQueryResponse);
        await using var sdk = new SdkHarness(_gateway);

        await sdk.Client.GetPaymentAsync(PaymentReference.ByMerchantOrderId("P9297895081903"), TestContext.Current.CancellationToken);

        Assert.Equal("""{"merchant_order_id":"P9297895081903"}""", Assert.Single(_gateway.Requests(GatewayStub.QueryPath)).RequestMessage!.Body);
    }

    [Fact]
    public async Task The_published_create_response_parses_with_its_nanosecond_timestamp_and_qr_url()
    {
        _gateway.Given(GatewayStub.CreatePath, GatewayStub.PublishedCreateResponse);
        await using var sdk = new SdkHarness(_gateway);

        PaymentIntent intent = await sdk.Client.CreatePaymentAsync(Requests.Valid(), TestContext.Current.CancellationToken);

        Assert.Equal("C991289984923795789123", intent.OrderId);
        Assert.Equal("P9297895081903", intent.MerchantOrderId);
        Assert.Equal(50m, intent.Amount);
        Assert.Equal("HKD", intent.Currency);
        Assert.Equal(PaymentStatus.Pending, intent.Status);
        Assert.Equal(new DateTimeOffset(2023, 8, 31, 4, 44, 5, TimeSpan.FromHours(8)).AddTicks(9286962), intent.CreateTime);
        Assert.Null(intent.PayTime);
        Assert.Equal("render_qrcode", intent.NextAction!.Type);
        Assert.Equal(new Uri("https://a.payment.link/code"), intent.NextAction.Url);
        Assert.Equal("3647575c0e1049439e484a231864da2c", intent.RequestId);
        Assert.False(intent.IsFinal);
    }

    [Fact]
    public async Task The_published_query_response_parses_and_keeps_the_currency_it_reports()
    {
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.PublishedQueryResponse);
        await using var sdk = new SdkHarness(_gateway);

        PaymentIntent intent = await sdk.Client.GetPaymentAsync(PaymentReference.ByMerchantOrderId("P9297895081903"), TestContext.Current.CancellationToken);

        Assert.Equal(PaymentStatus.Succeeded, intent.Status);
        Assert.Equal("TWD", intent.Currency);
        Assert.Equal(new DateTimeOffset(2023, 8, 31, 4, 44, 5, TimeSpan.FromHours(8)).AddTicks(9286962), intent.PayTime);
        Assert.Null(intent.NextAction);
        Assert.True(intent.IsFinal);
    }

    [Fact]
    public async Task An_unknown_status_and_unknown_fields_parse_without_throwing()
    {
        _gateway.Given(GatewayStub.QueryPath, """{"code":0,"data":{"order_id":"C1","merchant_order_id":"M1","amount":12.5,"currency":"HKD","status":"REFUNDING","create_time":"2023-08-23T18:25:43.511Z","brand_new":{"x":[1,2]}},"message":"ok","rid":"r1","extra":true}""");
        await using var sdk = new SdkHarness(_gateway);

        PaymentIntent intent = await sdk.Client.GetPaymentAsync(PaymentReference.ByOrderId("C1"), TestContext.Current.CancellationToken);

        Assert.Equal(PaymentStatus.Unknown, intent.Status);
        Assert.Equal("REFUNDING", intent.RawStatus);
        Assert.Equal(12.5m, intent.Amount);
        Assert.Equal(new DateTimeOffset(2023, 8, 23, 18, 25, 43, 511, TimeSpan.Zero), intent.CreateTime);
    }

    [Fact]
    public async Task An_error_envelope_becomes_an_api_exception_with_code_message_and_rid()
    {
        _gateway.Given(GatewayStub.CreatePath, """{"code":40001,"message":"merchant_order_id duplicated","rid":"rid-40001"}""");
        await using var sdk = new SdkHarness(_gateway);

        var ex = await Assert.ThrowsAsync<AlipayHkPayApiException>(() => sdk.Client.CreatePaymentAsync(Requests.Valid(), TestContext.Current.CancellationToken));

        Assert.Equal(40001, ex.Code);
        Assert.Equal("merchant_order_id duplicated", ex.GatewayMessage);
        Assert.Equal("rid-40001", ex.RequestId);
        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Assert.Contains("merchant_order_id duplicated", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_gateway.Requests(GatewayStub.QueryPath)); // a refusal is definitive: nothing to recover
    }

    [Fact]
    public async Task A_4xx_carrying_an_envelope_keeps_both_the_code_and_the_http_status()
    {
        _gateway.Given(GatewayStub.QueryPath, """{"code":40002,"message":"order_id invalid","rid":"rid-400"}""", status: 400);
        await using var sdk = new SdkHarness(_gateway);

        var ex = await Assert.ThrowsAsync<AlipayHkPayApiException>(() => sdk.Client.GetPaymentAsync(PaymentReference.ByOrderId("C1"), TestContext.Current.CancellationToken));

        Assert.Equal(40002, ex.Code);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("rid-400", ex.RequestId);
    }

    [Fact]
    public async Task An_html_502_from_a_proxy_becomes_a_gateway_exception_with_the_status_not_a_json_error()
    {
        _gateway.Given(GatewayStub.QueryPath, "<html><body><h1>502 Bad Gateway</h1></body></html>", status: 502, contentType: "text/html");
        await using var sdk = new SdkHarness(_gateway);

        var ex = await Assert.ThrowsAsync<AlipayHkPayException>(() => sdk.Client.GetPaymentAsync(PaymentReference.ByOrderId("C1"), TestContext.Current.CancellationToken));

        Assert.Equal(typeof(AlipayHkPayException), ex.GetType());
        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.Contains("text/html", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("The gateway answered the query with HTTP 502 (BadGateway)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AlipayHkPay: the query for order_id=C1 failed", sdk.AllLogText(), StringComparison.Ordinal);
        Assert.Equal(3, _gateway.Requests(GatewayStub.QueryPath).Count); // 1 + 2 retries: a 502 is transient
    }

    [Fact]
    public async Task A_200_whose_body_is_not_json_becomes_a_gateway_exception()
    {
        _gateway.Given(GatewayStub.QueryPath, "<html>maintenance</html>", contentType: "text/html");
        await using var sdk = new SdkHarness(_gateway);

        var ex = await Assert.ThrowsAsync<AlipayHkPayException>(() => sdk.Client.GetPaymentAsync(PaymentReference.ByOrderId("C1"), TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Assert.Contains("not JSON", ex.Message, StringComparison.Ordinal);
        Assert.IsType<System.Text.Json.JsonException>(ex.InnerException, exactMatch: false);
    }

    [Fact]
    public async Task A_body_in_a_charset_the_runtime_cannot_decode_keeps_the_http_status()
    {
        _gateway.Given(GatewayStub.QueryPath, """{"code":40002}""", status: 400, contentType: "application/json; charset=no-such-charset");
        await using var sdk = new SdkHarness(_gateway);

        var ex = await Assert.ThrowsAsync<AlipayHkPayException>(() => sdk.Client.GetPaymentAsync(PaymentReference.ByOrderId("C1"), TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode); // an answer, not "got no response"
        Assert.False(ex.IsTransient);
        Assert.Contains("could not be read", ex.Message, StringComparison.Ordinal);
        Assert.Single(_gateway.Requests(GatewayStub.QueryPath));
    }

    [Fact]
    public async Task An_empty_body_becomes_a_gateway_exception()
    {
        _gateway.Given(GatewayStub.QueryPath, string.Empty);
        await using var sdk = new SdkHarness(_gateway);

        var ex = await Assert.ThrowsAsync<AlipayHkPayException>(() => sdk.Client.GetPaymentAsync(PaymentReference.ByOrderId("C1"), TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Assert.Contains("empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_envelope_without_data_becomes_a_gateway_exception_with_its_rid()
    {
        _gateway.Given(GatewayStub.QueryPath, """{"code":0,"message":"ok","rid":"rid-nodata"}""");
        await using var sdk = new SdkHarness(_gateway);

        var ex = await Assert.ThrowsAsync<AlipayHkPayException>(() => sdk.Client.GetPaymentAsync(PaymentReference.ByOrderId("C1"), TestContext.Current.CancellationToken));

        Assert.Equal("rid-nodata", ex.RequestId);
        Assert.Contains("no data", ex.Message, StringComparison.Ordinal);
    }
}
