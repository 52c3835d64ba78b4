namespace AlipayHk.Pay.Diagnostics;

/// <summary>
/// Every span, attribute, instrument and tag value name of the SDK, in one place (docs/hosting.md's telemetry tables list
/// them). An operation's span and <c>alipayhk.operation</c> value is its declared name (<c>CreatePayment</c>, <c>GetPayment</c>).
/// </summary>
internal static class TelemetryNames
{
    internal const string WaitForCompletion = "WaitForCompletion";
    internal const string ProcessWebhook = "ProcessWebhook";

    internal const string SpanPrefix = "AlipayHkPay.";

    internal const string MerchantOrderId = "alipayhk.merchant_order_id";
    internal const string OrderId = "alipayhk.order_id";
    internal const string PaymentStatus = "alipayhk.payment.status";
    internal const string RequestId = "alipayhk.rid";
    internal const string CreateRecovery = "alipayhk.create.recovery";
    internal const string Operation = "alipayhk.operation";
    internal const string Merchant = "alipayhk.merchant";
    internal const string ErrorType = "error.type";

    internal const string OperationDuration = "alipayhk.client.operation.duration";
    internal const string CreateRecoveries = "alipayhk.client.create.recoveries";
    internal const string TokenFetches = "alipayhk.token.fetches";
    internal const string WebhookDeliveries = "alipayhk.webhook.deliveries";
    internal const string WebhookOutcome = "alipayhk.webhook.outcome";
    internal const string WebhookReason = "alipayhk.webhook.reason";
    internal const string Outcomes = "alipayhk.outcomes";
    internal const string OutcomeResult = "alipayhk.outcome.result";
    internal const string OutcomeSource = "alipayhk.outcome.source";

    /// <summary>Values of <see cref="CreateRecovery"/>.</summary>
    internal const string RecoveryFound = "found";
    internal const string RecoveryResent = "resent";
    internal const string RecoveryUnknown = "unknown";
    internal const string RecoveryNotCreated = "not_created";
}
