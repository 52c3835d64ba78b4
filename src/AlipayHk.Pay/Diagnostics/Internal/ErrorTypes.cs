namespace AlipayHk.Pay.Diagnostics;

/// <summary>
/// The low-cardinality <c>error.type</c> of a failed operation. The values are docs/hosting.md's list; an exception the SDK
/// does not know is named by its type, as OpenTelemetry's conventions ask.
/// </summary>
internal static class ErrorTypes
{
    internal const string NotCreated = "not_created";

    internal static string Of(Exception exception) => exception switch
    {
        AlipayHkPayOutcomeUnknownException => "outcome_unknown",
        AlipayHkPayException { ErrorType: { } declared } => declared,
        AlipayHkPayAuthenticationException => "authentication",
        AlipayHkPayApiException => "gateway_refused",
        AlipayHkPayWebhookException => "webhook_rejected",
        AlipayHkPayException { StatusCode: not null } => "gateway_error",
        AlipayHkPayException { InnerException: Polly.Timeout.TimeoutRejectedException or TimeoutException } => "timeout",
        AlipayHkPayException => "transport",
        OperationCanceledException => "cancelled",
        ArgumentException => "invalid_request",
        _ => exception.GetType().FullName ?? exception.GetType().Name,
    };
}
