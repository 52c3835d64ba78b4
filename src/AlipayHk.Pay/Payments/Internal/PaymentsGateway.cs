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

    /// <summary>
    /// The create's answer, read; the caller maps it with <see cref="ToIntent"/>. Not an async method of its own, so that
    /// the hot path boxes one state machine fewer per call.
    /// </summary>
    internal Task<GatewayEnvelope<PaymentIntentData>> SendCreateAsync(CreatePaymentIntentBody body, CancellationToken cancellationToken) =>
        GatewayResponse.ReceiveAsync(api.CreatePaymentIntentAsync(body, cancellationToken), EnvelopeType, CreateOperation, cancellationToken);

    /// <summary>The query's answer, read; the caller maps it with <see cref="ToIntent"/>.</summary>
    internal Task<GatewayEnvelope<PaymentIntentData>> SendQueryAsync(string? orderId, string? merchantOrderId, CancellationToken cancellationToken) =>
        GatewayResponse.ReceiveAsync(
            api.QueryPaymentIntentAsync(new QueryPaymentIntentBody { OrderId = orderId, MerchantOrderId = merchantOrderId }, cancellationToken),
            EnvelopeType,
            QueryOperation,
            cancellationToken);

    internal async Task<PaymentIntent> CreateAsync(CreatePaymentIntentBody body, CancellationToken cancellationToken) =>
        ToIntent(await SendCreateAsync(body, cancellationToken).ConfigureAwait(false));

    /// <summary>Queries one order; with <paramref name="recovered"/>, for an interrupted create, the intent is marked <see cref="PaymentIntent.IsRecovered"/>.</summary>
    /// <param name="orderId">The gateway's order id, or null.</param>
    /// <param name="merchantOrderId">The merchant order id, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <param name="recovered">Whether the query looks for an interrupted create.</param>
    internal async Task<PaymentIntent> QueryAsync(string? orderId, string? merchantOrderId, CancellationToken cancellationToken, bool recovered = false) =>
        ToIntent(await SendQueryAsync(orderId, merchantOrderId, cancellationToken).ConfigureAwait(false), recovered);

    internal PaymentIntent ToIntent(GatewayEnvelope<PaymentIntentData> envelope, bool recovered = false) =>
        PaymentIntentMapper.ToIntent(envelope.Data!, envelope.Rid, logger, recovered);
}
