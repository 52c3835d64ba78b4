using System.Text.Json.Serialization.Metadata;
using AlipayHk.Pay.Http;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.Payments;

/// <summary>The two payment calls on the wire: a create and a query, each read into a <see cref="PaymentIntent"/> or a typed exception.</summary>
internal sealed class PaymentsGateway(IAlipayHkPaymentsApi api, ILogger logger)
{
    private const string CreateOperation = "The create";
    private const string QueryOperation = "The query";

    private static JsonTypeInfo<GatewayEnvelope<PaymentIntentData>> EnvelopeType => GatewayJsonContext.Default.GatewayEnvelopePaymentIntentData;

    internal ILogger Logger => logger;

    internal async Task<PaymentIntent> CreateAsync(CreatePaymentIntentBody body, CancellationToken cancellationToken) =>
        ToIntent(await GatewayResponse.ReceiveAsync(
            api.CreatePaymentIntentAsync(body, cancellationToken), EnvelopeType, CreateOperation, cancellationToken).ConfigureAwait(false));

    internal async Task<PaymentIntent> QueryAsync(string? orderId, string? merchantOrderId, CancellationToken cancellationToken) =>
        ToIntent(await GatewayResponse.ReceiveAsync(
            api.QueryPaymentIntentAsync(new QueryPaymentIntentBody { OrderId = orderId, MerchantOrderId = merchantOrderId }, cancellationToken),
            EnvelopeType,
            QueryOperation,
            cancellationToken).ConfigureAwait(false));

    private PaymentIntent ToIntent(GatewayEnvelope<PaymentIntentData> envelope) =>
        PaymentIntentMapper.ToIntent(envelope.Data!, envelope.Rid, logger);
}
