using System.Diagnostics;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AlipayHk.Pay.Diagnostics;
using AlipayHk.Pay.Pipeline;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.Payments;

/// <summary>What the payment intent operations share: their Refit interface and JSON, their answer (a payment intent), its mapping, log summary and span attributes.</summary>
/// <typeparam name="TRequest">What the caller passes.</typeparam>
internal abstract class PaymentOperation<TRequest> : GatewayOperation<IAlipayHkPaymentsApi, TRequest, PaymentIntentData, PaymentIntent>
{
    internal override JsonSerializerContext Json => PaymentsJsonContext.Default;

    internal override JsonTypeInfo<GatewayEnvelope<PaymentIntentData>> Envelope => PaymentsJsonContext.Default.GatewayEnvelopePaymentIntentData;

    internal override PaymentIntent Map(PaymentIntentData data, string? requestId, ILogger logger) => PaymentIntentMapper.ToIntent(data, requestId, logger);

    internal override string Summarize(PaymentIntent result) => $"order {result.OrderId} is {result.RawStatus} (rid {result.RequestId})";

    internal override void TagResult(Activity span, PaymentIntent result) => PaymentSpan.Tag(span, result);
}

/// <summary>A payment's span attributes, for the payment operations and the waits.</summary>
internal static class PaymentSpan
{
    /// <summary>The order, its raw status and the rid of the answer: never the QR code URL.</summary>
    internal static void Tag(Activity span, PaymentIntent payment)
    {
        span.SetTag(TelemetryNames.MerchantOrderId, payment.MerchantOrderId);
        span.SetTag(TelemetryNames.OrderId, payment.OrderId);
        span.SetTag(TelemetryNames.PaymentStatus, payment.RawStatus);
        if (payment.RequestId is not null)
        {
            span.SetTag(TelemetryNames.RequestId, payment.RequestId);
        }
    }
}

/// <summary>
/// <c>POST /mch-api/v1/pa/payment_intents/create</c>: an in-store QR payment. Never retried; an interrupted create is
/// recovered by query (<see cref="CreateRecovery"/>).
/// </summary>
internal sealed class CreatePayment : PaymentOperation<CreatePaymentRequest>
{
    internal static readonly CreatePayment Operation = new();

    /// <summary>The <c>payment_method</c> of an in-store QR create for each wallet: constant, so built once (init-only).</summary>
    private static readonly PaymentMethodBody AlipayHkMethod = QrCodeMethod("ALIPAYHK");

    private static readonly PaymentMethodBody AlipayCnMethod = QrCodeMethod("ALIPAYCN");

    private CreatePayment()
    {
    }

    internal override string Name => "CreatePayment";

    internal override string Noun => "the create";

    internal override GatewayRetry Retry => GatewayRetry.Never;

    internal override bool Recovers => true;

    internal override void Validate(CreatePaymentRequest request) => PaymentValidation.Validate(request);

    internal override string Describe(CreatePaymentRequest request) => request.MerchantOrderId;

    internal override Task<HttpResponseMessage> SendAsync(IAlipayHkPaymentsApi api, CreatePaymentRequest request, GatewayRetry retry, CancellationToken cancellationToken) =>
        api.CreateAsync(ToBody(request), retry, cancellationToken);

    internal override void TagRequest(Activity span, CreatePaymentRequest request) => span.SetTag(TelemetryNames.MerchantOrderId, request.MerchantOrderId);

    internal override Task<PaymentIntent> RecoverAsync(GatewayPipeline pipeline, CreatePaymentRequest request, AlipayHkPayException interrupted, Activity? span, CancellationToken cancellationToken) =>
        CreateRecovery.RecoverAsync(pipeline, request, interrupted, span, cancellationToken);

    private static CreatePaymentIntentBody ToBody(CreatePaymentRequest request) => new()
    {
        Amount = AmountFormat.Format(request.Amount),
        Currency = "HKD",
        MerchantOrderId = request.MerchantOrderId,
        PaymentMethod = request.Wallet == AlipayHkWallet.AlipayHk ? AlipayHkMethod : AlipayCnMethod,
        Description = request.Description,
        NotifyUrl = request.NotifyUrl?.AbsoluteUri,
    };

    private static PaymentMethodBody QrCodeMethod(string wallet) => new()
    {
        Type = "alipayhk",
        AlipayHk = new AlipayHkMethodBody { Flow = "csb_qrcode", PaymentMethod = wallet },
    };
}

/// <summary>
/// <c>POST /mch-api/v1/pa/payment_intents/query</c>, by order id or merchant order id. Retried after a transient
/// failure: a query changes nothing.
/// </summary>
internal sealed class QueryPayment : PaymentOperation<PaymentReference>
{
    internal static readonly QueryPayment Operation = new(recovered: false);

    /// <summary>The lookup of an interrupted create: what it finds is marked <see cref="PaymentIntent.IsRecovered"/>.</summary>
    internal static readonly QueryPayment Recovery = new(recovered: true);

    private readonly bool _recovered;

    private QueryPayment(bool recovered) => _recovered = recovered;

    internal override string Name => "GetPayment";

    internal override string Noun => "the query";

    internal override GatewayRetry Retry => GatewayRetry.OnTransientFailure;

    internal override void Validate(PaymentReference request) => ArgumentNullException.ThrowIfNull(request);

    internal override string Describe(PaymentReference request) => request.ToString();

    internal override Task<HttpResponseMessage> SendAsync(IAlipayHkPaymentsApi api, PaymentReference request, GatewayRetry retry, CancellationToken cancellationToken) =>
        api.QueryAsync(new QueryPaymentIntentBody { OrderId = request.OrderId, MerchantOrderId = request.MerchantOrderId }, retry, cancellationToken);

    internal override PaymentIntent Map(PaymentIntentData data, string? requestId, ILogger logger) =>
        PaymentIntentMapper.ToIntent(data, requestId, logger, _recovered);

    internal override void TagRequest(Activity span, PaymentReference request)
    {
        span.SetTag(TelemetryNames.OrderId, request.OrderId);
        span.SetTag(TelemetryNames.MerchantOrderId, request.MerchantOrderId);
    }
}
