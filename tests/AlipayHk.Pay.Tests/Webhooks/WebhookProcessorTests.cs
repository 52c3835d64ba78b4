using AlipayHk.Pay.Tests.Infrastructure;
using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.Tests.Webhooks;

public sealed class WebhookProcessorTests : IDisposable
{
    private const string Key = "webhook-key-for-tests";
    private readonly GatewayStub _gateway = new GatewayStub();
    private readonly ServiceProvider _services;

    public WebhookProcessorTests()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        _gateway.Configure(services, Key);
        _services = services.BuildServiceProvider();
    }

    private IAlipayHkPayWebhookProcessor Processor => _services.GetRequiredService<IAlipayHkPayWebhookProcessor>();

    public void Dispose()
    {
        _services.Dispose();
        _gateway.Dispose();
    }

    private static (byte[] Body, string Signature) Signed(string body) => (Encoding.UTF8.GetBytes(body), WebhookSigning.Sign(body, Key));

    [Fact]
    public async Task A_forged_payment_success_for_an_unpaid_order_comes_out_pending()
    {
        _gateway.AnswerQueriesWith("C100", "M100", "PENDING");
        (byte[] body, string signature) = Signed(WebhookSigning.PaymentSuccess("C100", "M100"));

        ConfirmedWebhook confirmed = await Processor.ProcessAsync(body, signature, TestContext.Current.CancellationToken);

        Assert.Equal(PaymentStatus.Succeeded, confirmed.Notification.Status); // what the caller claimed
        Assert.Equal(PaymentStatus.Pending, confirmed.Status); // what the gateway says
        Assert.Equal(PaymentStatus.Pending, confirmed.Payment!.Status);
        Assert.True(confirmed.IsUnconfirmedSuccess);
        Assert.Equal("payment:C100:PENDING", confirmed.DeduplicationKey);
    }

    [Fact]
    public async Task A_genuine_payment_success_is_confirmed_succeeded_by_querying_the_order_id()
    {
        _gateway.AnswerQueriesWith("C200", "M200", "SUCCEEDED");
        (byte[] body, string signature) = Signed(WebhookSigning.PaymentSuccess("C200", "M200"));

        ConfirmedWebhook confirmed = await Processor.ProcessAsync(body, signature, TestContext.Current.CancellationToken);

        Assert.Equal(PaymentStatus.Succeeded, confirmed.Status);
        Assert.False(confirmed.IsUnconfirmedSuccess);
        Assert.Equal("C200", confirmed.Payment!.OrderId);
        Assert.Equal(50m, confirmed.Payment.Amount);
        Assert.Equal("payment:C200:SUCCEEDED", confirmed.DeduplicationKey);
        string query = Assert.Single(_gateway.QueryBodies);
        Assert.Contains("\"order_id\":\"C200\"", query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_callback_with_only_a_merchant_order_id_is_confirmed_by_it()
    {
        _gateway.AnswerQueriesWith("C300", "M300", "CANCELLED");
        (byte[] body, string signature) = Signed("""{"notify_type":"payment_success","data":{"merchant_order_id":"M300"}}""");

        ConfirmedWebhook confirmed = await Processor.ProcessAsync(body, signature, TestContext.Current.CancellationToken);

        Assert.Equal(PaymentStatus.Cancelled, confirmed.Status);
        string query = Assert.Single(_gateway.QueryBodies);
        Assert.Contains("\"merchant_order_id\":\"M300\"", query, StringComparison.Ordinal);
        Assert.DoesNotContain("\"order_id\":\"", query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_callback_whose_merchant_order_id_does_not_match_the_gateways_order_is_rejected()
    {
        _gateway.AnswerQueriesWith("C400", "someone-elses-order", "SUCCEEDED");
        (byte[] body, string signature) = Signed(WebhookSigning.PaymentSuccess("C400", "M400"));

        AlipayHkPayWebhookException ex = await Assert.ThrowsAsync<AlipayHkPayWebhookException>(
            () => Processor.ProcessAsync(body, signature, TestContext.Current.CancellationToken));
        Assert.Equal(WebhookFailureReason.MalformedPayload, ex.Reason);
    }

    [Fact]
    public async Task A_refund_is_verified_but_not_queried_and_has_no_payment()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        _gateway.Configure(services, PublishedExamples.WebhookVectorKey);
        await using ServiceProvider provider = services.BuildServiceProvider();

        ConfirmedWebhook confirmed = await provider.GetRequiredService<IAlipayHkPayWebhookProcessor>()
            .ProcessAsync(Encoding.UTF8.GetBytes(PublishedExamples.WebhookVectorBody), PublishedExamples.WebhookVectorSignature, TestContext.Current.CancellationToken);

        Assert.Null(confirmed.Payment);
        Assert.Equal("C34368224017070000", confirmed.Notification.Refund!.RefundId);
        Assert.Equal("refund_success:C34368224017070000", confirmed.DeduplicationKey);
        Assert.Empty(_gateway.QueryBodies);
    }

    [Fact]
    public async Task An_unknown_type_naming_an_order_is_confirmed_and_one_naming_none_is_passed_through()
    {
        _gateway.AnswerQueriesWith("C500", "M500", "SUCCEEDED");
        (byte[] body, string signature) = Signed("""{"notify_type":"payment_updated","data":{"order_id":"C500"}}""");
        ConfirmedWebhook confirmed = await Processor.ProcessAsync(body, signature, TestContext.Current.CancellationToken);
        Assert.Equal(PaymentStatus.Succeeded, confirmed.Status);

        (byte[] other, string otherSignature) = Signed("""{"notify_type":"ping","data":{"n":1}}""");
        ConfirmedWebhook passed = await Processor.ProcessAsync(other, otherSignature, TestContext.Current.CancellationToken);
        Assert.Null(passed.Payment);
        Assert.Equal(PaymentStatus.Unknown, passed.Status);
        Assert.StartsWith("ping:body:", passed.DeduplicationKey, StringComparison.Ordinal);
        Assert.Single(_gateway.QueryBodies);
    }

    [Fact]
    public async Task A_rejected_signature_never_reaches_the_gateway()
    {
        _gateway.AnswerQueriesWith("C600", "M600", "SUCCEEDED");
        byte[] body = Encoding.UTF8.GetBytes(WebhookSigning.PaymentSuccess("C600", "M600"));

        AlipayHkPayWebhookException ex = await Assert.ThrowsAsync<AlipayHkPayWebhookException>(
            () => Processor.ProcessAsync(body, WebhookSigning.Sign(body, "wrong-key"), TestContext.Current.CancellationToken));

        Assert.Equal(WebhookFailureReason.SignatureMismatch, ex.Reason);
        Assert.Contains("AlipayHkPay:WebhookKey", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_gateway.QueryBodies);
    }

    [Fact]
    public async Task An_order_id_the_gateway_could_never_have_issued_is_malformed()
    {
        (byte[] body, string signature) = Signed(WebhookSigning.PaymentSuccess(new string('C', 40), "M1"));
        AlipayHkPayWebhookException ex = await Assert.ThrowsAsync<AlipayHkPayWebhookException>(
            () => Processor.ProcessAsync(body, signature, TestContext.Current.CancellationToken));
        Assert.Equal(WebhookFailureReason.MalformedPayload, ex.Reason);
        Assert.Empty(_gateway.QueryBodies);
    }

    [Fact]
    public async Task When_the_gateway_refuses_the_query_the_failure_surfaces_so_the_callback_can_be_retried()
    {
        _gateway.AnswerQueriesWith(200, """{"code":40004,"data":null,"message":"order not found","rid":"rid-404"}""");
        (byte[] body, string signature) = Signed(WebhookSigning.PaymentSuccess("C700", "M700"));

        AlipayHkPayApiException ex = await Assert.ThrowsAsync<AlipayHkPayApiException>(
            () => Processor.ProcessAsync(body, signature, TestContext.Current.CancellationToken));
        Assert.Equal(40004, ex.Code);
    }

    [Fact]
    public void AddAlipayHkPay_registers_a_verifier_that_uses_the_configured_key_as_a_singleton()
    {
        IAlipayHkPayWebhookVerifier verifier = _services.GetRequiredService<IAlipayHkPayWebhookVerifier>();
        Assert.Same(verifier, _services.GetRequiredService<IAlipayHkPayWebhookVerifier>());
        (byte[] body, string signature) = Signed(WebhookSigning.PaymentSuccess("C1", "M1"));
        Assert.Equal("C1", verifier.Verify(body, signature).OrderId);
    }
}
