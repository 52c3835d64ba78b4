using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay;

/// <summary>
/// Every log line the SDK writes, source-generated. None takes a secret: no client secret, access token,
/// webhook key or full token URL is ever passed here.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "AlipayHkPay: {Operation} for {Reference} succeeded in {ElapsedMs:0} ms: {Result}")]
    internal static partial void CallSucceeded(ILogger logger, string operation, string reference, double elapsedMs, string result);

    [LoggerMessage(2, LogLevel.Warning, "AlipayHkPay: {Operation} for {Reference} failed after {ElapsedMs:0} ms (HTTP {StatusCode}, rid {RequestId}): {Reason}")]
    internal static partial void CallFailed(ILogger logger, string operation, string reference, double elapsedMs, int? statusCode, string? requestId, string reason);

    [LoggerMessage(3, LogLevel.Warning, "AlipayHkPay retrying {Method} {Path}: attempt {Attempt} failed ({Outcome}); next attempt in {DelayMs:0} ms")]
    internal static partial void Retrying(ILogger logger, string method, string path, int attempt, string outcome, double delayMs);

    [LoggerMessage(4, LogLevel.Debug, "AlipayHkPay access token fetched; it expires at {ExpiresAt:O}")]
    internal static partial void AccessTokenFetched(ILogger logger, DateTimeOffset expiresAt);

    [LoggerMessage(5, LogLevel.Information, "AlipayHkPay access token rejected by the gateway (401); fetching a new one")]
    internal static partial void AccessTokenRejected(ILogger logger);

    [LoggerMessage(6, LogLevel.Warning, "AlipayHkPay create for merchant order {MerchantOrderId} was interrupted ({Reason}); querying the gateway before anything is re-sent")]
    internal static partial void CreateInterrupted(ILogger logger, string merchantOrderId, string reason);

    [LoggerMessage(7, LogLevel.Information, "AlipayHkPay recovered merchant order {MerchantOrderId}: the gateway has order {OrderId} (rid {RequestId})")]
    internal static partial void CreateRecovered(ILogger logger, string merchantOrderId, string orderId, string? requestId);

    [LoggerMessage(8, LogLevel.Information, "AlipayHkPay has no order for merchant order {MerchantOrderId} (code {Code}); sending the create again with the same merchant order id")]
    internal static partial void CreateResent(ILogger logger, string merchantOrderId, int code);

    [LoggerMessage(9, LogLevel.Error, "AlipayHkPay cannot tell whether merchant order {MerchantOrderId} exists: {Reason}")]
    internal static partial void CreateOutcomeUnknown(ILogger logger, string merchantOrderId, string reason);

    [LoggerMessage(13, LogLevel.Warning, "AlipayHkPay merchant order {MerchantOrderId} was not created: the re-sent create was interrupted too, and the gateway again has no such order; it is safe to retry with the same merchant order id")]
    internal static partial void CreateNotCreated(ILogger logger, string merchantOrderId);

    [LoggerMessage(10, LogLevel.Debug, "AlipayHkPay still waiting for {Reference}: {Status}; next query in {DelayMs:0} ms")]
    internal static partial void StillWaiting(ILogger logger, string reference, string status, double delayMs);

    [LoggerMessage(11, LogLevel.Warning, "AlipayHkPay query for {Reference} failed while waiting; polling goes on: {Reason}")]
    internal static partial void PollFailed(ILogger logger, string reference, string reason);

    [LoggerMessage(12, LogLevel.Warning, "AlipayHkPay order {OrderId} has a {Field} the SDK cannot read: '{Value}'")]
    internal static partial void UnreadableField(ILogger logger, string orderId, string field, string? value);

    [LoggerMessage(20, LogLevel.Information, "AlipayHkPay took the HTTP handler {Handler} off its client {Client}: the SDK runs its own timeouts and retries there, and a retrying handler would re-send creates or let a circuit breaker block the SDK's recovery queries")]
    internal static partial void RetryingHandlerRemoved(ILogger logger, string handler, string client);

    [LoggerMessage(21, LogLevel.Warning, "AlipayHkPay cannot tell whether the HTTP handler {Handler} retries; it stays on the client {Client}, inside each attempt. If it sends a request a second time, the SDK refuses that send (a create is never re-sent blindly) and the attempt fails. If it retries, add it to your own clients only, not in ConfigureHttpClientDefaults; if it does not, nothing needs doing")]
    internal static partial void UnknownHandlerKept(ILogger logger, string handler, string client);

    [LoggerMessage(22, LogLevel.Warning, "AlipayHkPay refused to send {Method} {Path} a second time within one attempt on {Client}: {Handlers} re-sent it. The SDK retries by itself and never re-sends a create blindly; take the retrying handler off this client")]
    internal static partial void ResendRefused(ILogger logger, string method, string path, string client, string handlers);

    [LoggerMessage(40, LogLevel.Information, "AlipayHkPay wait for {Reference} ended by a completion signal: {Status}")]
    internal static partial void WaitSignalled(ILogger logger, string reference, string status);

    [LoggerMessage(41, LogLevel.Warning, "AlipayHkPay completion signals failed to {Operation} for {Reference}; waits learn the outcome by polling")]
    internal static partial void SignalsFailed(ILogger logger, string operation, string reference, Exception exception);

    [LoggerMessage(100, LogLevel.Warning, "AlipayHkPay webhook rejected ({Reason}): {Message}. Further rejections of this kind are counted and summarised once a minute")]
    internal static partial void WebhookRejected(ILogger logger, WebhookFailureReason reason, string message);

    [LoggerMessage(104, LogLevel.Warning, "AlipayHkPay webhook rejected {Count} more times ({Reason}) in the last {Seconds:0} s; the metric alipayhk.webhook.deliveries has every one")]
    internal static partial void WebhookRejectionsSummarised(ILogger logger, long count, WebhookFailureReason reason, double seconds);

    [LoggerMessage(101, LogLevel.Information, "AlipayHkPay webhook {NotifyType} for order {OrderId} confirmed by the gateway: {Status}")]
    internal static partial void WebhookConfirmed(ILogger logger, string notifyType, string orderId, PaymentStatus status);

    [LoggerMessage(102, LogLevel.Warning, "AlipayHkPay webhook {NotifyType} claims order {OrderId} succeeded, but the gateway says {Status}: treat it as not paid (a forged, replayed or early callback)")]
    internal static partial void WebhookClaimNotConfirmed(ILogger logger, string notifyType, string orderId, PaymentStatus status);

    [LoggerMessage(103, LogLevel.Information, "AlipayHkPay webhook {NotifyType} verified; it names no payment to confirm")]
    internal static partial void WebhookNotConfirmable(ILogger logger, string notifyType);

    [LoggerMessage(105, LogLevel.Debug, "AlipayHkPay webhook body did not arrive whole ({Cause}): the caller hung up or was too slow; nothing was verified")]
    internal static partial void WebhookIncomplete(ILogger logger, string cause);

    [LoggerMessage(201, LogLevel.Warning, "AlipayHkPay webhook could not be confirmed with the gateway (HTTP {StatusCode}, rid {RequestId}); answering 502 so that it is delivered again: {Message}")]
    internal static partial void WebhookConfirmationFailed(ILogger logger, int? statusCode, string? requestId, string message, Exception exception);

    [LoggerMessage(202, LogLevel.Warning, "AlipayHkPay webhook claims order {OrderId} succeeded but the gateway says {Status}; the handler is not called and the gateway is asked to deliver it again")]
    internal static partial void WebhookUnconfirmedSuccess(ILogger logger, string orderId, PaymentStatus status);

    [LoggerMessage(203, LogLevel.Debug, "AlipayHkPay webhook is a duplicate of one already handled; answering 200")]
    internal static partial void WebhookDuplicate(ILogger logger);

    [LoggerMessage(212, LogLevel.Information, "AlipayHkPay webhook {NotifyType} confirmed; the endpoint has no webhook handler for it (payments go to the outcome handler), so it is acknowledged")]
    internal static partial void WebhookNoHandler(ILogger logger, string notifyType);

    [LoggerMessage(204, LogLevel.Debug, "AlipayHkPay webhook {Key} is being handled by another delivery; answering 409 so that it is delivered again")]
    internal static partial void WebhookInProgress(ILogger logger, string key);

    [LoggerMessage(205, LogLevel.Error, "AlipayHkPay webhook handler failed for {Key} (order {OrderId}); answering 500 so that the gateway delivers it again")]
    internal static partial void WebhookHandlerFailed(ILogger logger, string key, string? orderId, Exception exception);

    [LoggerMessage(206, LogLevel.Debug, "AlipayHkPay webhook {Key} handled in {ElapsedMs:0} ms")]
    internal static partial void WebhookHandled(ILogger logger, string key, double elapsedMs);

    [LoggerMessage(207, LogLevel.Warning, "AlipayHkPay webhook deduplication store failed to {Operation} {Key}; answering 503 while it is down")]
    internal static partial void WebhookStoreFailed(ILogger logger, string operation, string key, Exception exception);

    [LoggerMessage(209, LogLevel.Warning, "AlipayHkPay webhook handler for {Key} took {ElapsedMs:0} ms; the gateway gives up after about 5 s. Acknowledge fast and do slow work in the background (see docs/webhooks.md of the AlipayHk.Pay repository)")]
    internal static partial void WebhookSlowHandler(ILogger logger, string key, double elapsedMs);

    [LoggerMessage(210, LogLevel.Debug, "AlipayHkPay webhook deduplication store still failing to {Operation} {Key}")]
    internal static partial void WebhookStoreStillFailing(ILogger logger, string operation, string key, Exception exception);

    [LoggerMessage(211, LogLevel.Information, "AlipayHkPay webhook deduplication store works again")]
    internal static partial void WebhookStoreBack(ILogger logger);

    [LoggerMessage(300, LogLevel.Information, "AlipayHkPay outcome of merchant order {MerchantOrderId} (order {OrderId}) handled: {Status}, learned by {Source}")]
    internal static partial void OutcomeHandled(ILogger logger, string merchantOrderId, string orderId, string status, PaymentOutcomeSource source);

    [LoggerMessage(301, LogLevel.Error, "AlipayHkPay outcome handler failed for merchant order {MerchantOrderId} (order {OrderId}, learned by {Source}); nothing was recorded, and the outcome is offered again")]
    internal static partial void OutcomeFailed(ILogger logger, string merchantOrderId, string orderId, PaymentOutcomeSource source, Exception exception);

    [LoggerMessage(302, LogLevel.Warning, "AlipayHkPay merchant order {MerchantOrderId} was not created: the gateway said twice, once the create could no longer land, that it has no such order")]
    internal static partial void OutcomeNotCreated(ILogger logger, string merchantOrderId);

    [LoggerMessage(303, LogLevel.Warning, "AlipayHkPay merchant order {MerchantOrderId} (order {OrderId}) is still open past the tracking horizon of {Horizon}; it is marked Expired and no longer queried on the schedule. Check it at the gateway")]
    internal static partial void OutcomeExpired(ILogger logger, string merchantOrderId, string? orderId, TimeSpan horizon);

    [LoggerMessage(304, LogLevel.Warning, "AlipayHkPay cannot look at merchant order {MerchantOrderId}: its merchant '{Merchant}' is not registered in this app")]
    internal static partial void OutcomeMerchantMissing(ILogger logger, string merchantOrderId, string merchant);

    [LoggerMessage(305, LogLevel.Error, "AlipayHkPay reconciler failed; the open payments stay open and are looked at again")]
    internal static partial void ReconcilerFailed(ILogger logger, Exception exception);

    [LoggerMessage(306, LogLevel.Error, "AlipayHkPay could not record the create of merchant order {MerchantOrderId} in the payment store; the reconciler finds it by merchant order id")]
    internal static partial void TrackingFailed(ILogger logger, string merchantOrderId, Exception exception);
}
