namespace AlipayHk.Pay.Diagnostics;

/// <summary>
/// The low-cardinality <c>error.type</c> of a failed operation. The values are docs/hosting.md's list; an exception the SDK
/// does not know is named by its type, as OpenTelemetry's conventions ask.
/// </summary>
internal static class ErrorTypes
{
    internal const string InvalidRequest = "invalid_request";
    internal const string Cancelled = "cancelled";
    internal const string Timeout = "timeout";
    internal const string Transport = "transport";
    internal const string GatewayError = "gateway_error";
    internal const string GatewayRefused = "gateway_refused";
    internal const string Authentication = "authentication";
    internal const string OutcomeUnknown = "outcome_unknown";
    internal const string NotCreated = "not_created";
    internal const string WebhookRejected = "webhook_rejected";

    internal static string Of(Exception exception) => exception switch
    {
        AlipayHkPayOutcomeUnknownException => OutcomeUnknown,
        AlipayHkPayException { ErrorType: { } declared } => declared,
        AlipayHkPayAuthenticationException => Authentication,
        AlipayHkPayApiException => GatewayRefused,
        AlipayHkPayWebhookException => WebhookRejected,
        AlipayHkPayException { StatusCode: not null } => GatewayError,
        AlipayHkPayException { InnerException: Polly.Timeout.TimeoutRejectedException or TimeoutException } => Timeout,
        AlipayHkPayException => Transport,
        OperationCanceledException => Cancelled,
        ArgumentException => InvalidRequest,
        _ => exception.GetType().FullName ?? exception.GetType().Name,
    };
}
