using System.Diagnostics;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AlipayHk.Pay.Pipeline;
using Microsoft.Extensions.Logging;
using Refit;

namespace AlipayHk.Pay.Tests.AddAnOperation;

// File 1 of 2: a made-up "close payment" operation, declared in one place, the way docs/architecture.md ("Add an
// operation") describes. The gateway has no such endpoint: it exists only in this test's stub gateway. Nothing in the
// SDK was changed for it; the pipeline gives it the retry declaration, the span, the metric, typed errors and redaction.

/// <summary>The endpoint, as a Refit method that carries its retry declaration with the request.</summary>
internal interface IClosePaymentApi
{
    [Post(ClosePayment.Path)]
    Task<HttpResponseMessage> CloseAsync([Body] ClosePaymentBody body, [Property(GatewayRetry.Key)] GatewayRetry retry, CancellationToken cancellationToken);
}

internal sealed class ClosePaymentBody
{
    [JsonPropertyName("order_id")]
    public required string OrderId { get; init; }
}

internal sealed class ClosePaymentData
{
    [JsonPropertyName("order_id")]
    public string? OrderId { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }
}

[JsonSerializable(typeof(ClosePaymentBody))]
[JsonSerializable(typeof(GatewayEnvelope<ClosePaymentData>))]
internal sealed partial class ClosePaymentJsonContext : JsonSerializerContext
{
}

/// <summary>What the caller gets: the order and the status the gateway reports after closing it.</summary>
internal sealed record ClosedPayment(string OrderId, string Status, string? RequestId);

/// <summary>The operation: name, retry declaration, validation, how it is sent, its wire types and its mapping.</summary>
internal sealed class ClosePayment(GatewayRetry retry) : GatewayOperation<IClosePaymentApi, string, ClosePaymentData, ClosedPayment>
{
    internal const string Path = "/mch-api/v1/pa/payment_intents/close";

    internal override string Name => "ClosePayment";

    internal override string Noun => "the close";

    internal override GatewayRetry Retry => retry;

    internal override JsonSerializerContext Json => ClosePaymentJsonContext.Default;

    internal override JsonTypeInfo<GatewayEnvelope<ClosePaymentData>> Envelope => ClosePaymentJsonContext.Default.GatewayEnvelopeClosePaymentData;

    internal override void Validate(string request) => ArgumentException.ThrowIfNullOrWhiteSpace(request, "orderId");

    internal override string Describe(string request) => $"order_id={request}";

    internal override Task<HttpResponseMessage> SendAsync(IClosePaymentApi api, string request, GatewayRetry retry, CancellationToken cancellationToken) =>
        api.CloseAsync(new ClosePaymentBody { OrderId = request }, retry, cancellationToken);

    internal override ClosedPayment Map(ClosePaymentData data, string? requestId, ILogger logger) =>
        new(data.OrderId ?? string.Empty, data.Status ?? string.Empty, requestId);

    internal override string Summarize(ClosedPayment result) => $"order {result.OrderId} is {result.Status}";

    internal override void TagRequest(Activity span, string request) => span.SetTag("alipayhk.order_id", request);
}
