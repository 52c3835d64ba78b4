using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.AspNetCore;

/// <summary>The webhook endpoint's log lines, source-generated. None carries a secret or the raw body.</summary>
internal static partial class Log
{
    [LoggerMessage(200, LogLevel.Warning, "AlipayHkPay webhook rejected with HTTP {StatusCode} ({Reason})")]
    internal static partial void Rejected(ILogger logger, int statusCode, string reason);

    [LoggerMessage(201, LogLevel.Warning, "AlipayHkPay webhook could not be confirmed with the gateway (HTTP {StatusCode}, rid {RequestId}); answering 502 so that it is delivered again: {Message}")]
    internal static partial void ConfirmationFailed(ILogger logger, int? statusCode, string? requestId, string message, Exception exception);

    [LoggerMessage(202, LogLevel.Warning, "AlipayHkPay webhook claims order {OrderId} succeeded but the gateway says {Status}; the handler is not called and the gateway is asked to deliver it again")]
    internal static partial void UnconfirmedSuccess(ILogger logger, string orderId, PaymentStatus status);

    [LoggerMessage(203, LogLevel.Information, "AlipayHkPay webhook {Key} is a duplicate of one already handled; answering 200")]
    internal static partial void Duplicate(ILogger logger, string key);

    [LoggerMessage(204, LogLevel.Information, "AlipayHkPay webhook {Key} is being handled by another delivery; answering 409 so that it is delivered again")]
    internal static partial void InProgress(ILogger logger, string key);

    [LoggerMessage(205, LogLevel.Error, "AlipayHkPay webhook handler failed for {Key} (order {OrderId}); answering 500 so that the gateway delivers it again")]
    internal static partial void HandlerFailed(ILogger logger, string key, string? orderId, Exception exception);

    [LoggerMessage(206, LogLevel.Information, "AlipayHkPay webhook {Key} handled in {ElapsedMs:0} ms")]
    internal static partial void Handled(ILogger logger, string key, double elapsedMs);

    [LoggerMessage(207, LogLevel.Warning, "AlipayHkPay webhook deduplication store failed to {Operation} {Key}")]
    internal static partial void StoreFailed(ILogger logger, string operation, string key, Exception exception);

    [LoggerMessage(210, LogLevel.Debug, "AlipayHkPay webhook deduplication store still failing to {Operation} {Key}")]
    internal static partial void StoreStillFailing(ILogger logger, string operation, string key, Exception exception);

    [LoggerMessage(211, LogLevel.Information, "AlipayHkPay webhook deduplication store works again")]
    internal static partial void StoreBack(ILogger logger);

    [LoggerMessage(208, LogLevel.Error, "AlipayHkPay webhook endpoint cannot process callbacks: {Message}")]
    internal static partial void Misconfigured(ILogger logger, string message, Exception exception);

    [LoggerMessage(209, LogLevel.Warning, "AlipayHkPay webhook handler for {Key} took {ElapsedMs:0} ms; the gateway gives up after about 5 s. Acknowledge fast and do slow work in the background (see the README)")]
    internal static partial void SlowHandler(ILogger logger, string key, double elapsedMs);
}
