using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay;

/// <summary>
/// The webhook log lines of one merchant, kept bounded under attack: a rejection of each kind (a bad signature, a
/// malformed body, ...) is logged the first time, then counted and summarised in one line per
/// <see cref="SummaryInterval"/>; a failing duplicate store is logged once per outage. The metric
/// <c>alipayhk.webhook.deliveries</c> keeps the exact counts.
/// </summary>
internal sealed class WebhookLog(ILoggerFactory loggers, TimeProvider timeProvider)
{
    /// <summary>How often a kind of rejection that goes on is summarised.</summary>
    internal static readonly TimeSpan SummaryInterval = TimeSpan.FromMinutes(1);

    private readonly ILogger _logger = loggers.CreateLogger("AlipayHk.Pay.Webhooks");
    private readonly Dictionary<WebhookFailureReason, Window> _windows = [];

    /// <summary>1 while the duplicate store is failing: its failures are then logged at debug level.</summary>
    private int _storeDown;

    internal ILogger Logger => _logger;

    /// <summary>A rejected callback: logged with <paramref name="detail"/> when it is the first of its kind in a while, else counted.</summary>
    internal void Rejected(WebhookFailureReason reason, string detail)
    {
        long now = timeProvider.GetTimestamp();
        long suppressed;
        lock (_windows)
        {
            if (_windows.TryGetValue(reason, out Window? window) && timeProvider.GetElapsedTime(window.Started, now) < SummaryInterval)
            {
                window.Suppressed++;
                return;
            }

            suppressed = window?.Suppressed ?? 0;
            _windows[reason] = new Window(now);
        }

        if (suppressed > 0)
        {
            Log.WebhookRejectionsSummarised(_logger, suppressed, reason, SummaryInterval.TotalSeconds);
        }

        Log.WebhookRejected(_logger, reason, detail);
    }

    /// <summary>A body that never arrived whole: the caller hung up or was too slow. Routine on the internet: debug level.</summary>
    internal void Incomplete(string cause) => Log.WebhookIncomplete(_logger, cause);

    internal void ConfirmationFailed(int? statusCode, string? requestId, string message, Exception exception) =>
        Log.WebhookConfirmationFailed(_logger, statusCode, requestId, message, exception);

    internal void UnconfirmedSuccess(string orderId, PaymentStatus status) => Log.WebhookUnconfirmedSuccess(_logger, orderId, status);

    internal void Duplicate() => Log.WebhookDuplicate(_logger);

    internal void NoHandler(string notifyType) => Log.WebhookNoHandler(_logger, notifyType);

    internal void InProgress(string key) => Log.WebhookInProgress(_logger, key);

    internal void HandlerFailed(string key, string? orderId, Exception exception) => Log.WebhookHandlerFailed(_logger, key, orderId, exception);

    internal void Handled(string key, TimeSpan elapsed, TimeSpan patience)
    {
        if (elapsed > patience)
        {
            Log.WebhookSlowHandler(_logger, key, elapsed.TotalMilliseconds);
        }
        else
        {
            Log.WebhookHandled(_logger, key, elapsed.TotalMilliseconds);
        }
    }

    /// <summary>A failure of the duplicate store: a warning once per outage (a store that is down fails every delivery), then debug.</summary>
    internal void StoreFailed(string operation, string key, Exception exception)
    {
        if (Interlocked.Exchange(ref _storeDown, 1) == 0)
        {
            Log.WebhookStoreFailed(_logger, operation, key, exception);
        }
        else
        {
            Log.WebhookStoreStillFailing(_logger, operation, key, exception);
        }
    }

    internal void StoreWorked()
    {
        if (Volatile.Read(ref _storeDown) == 1 && Interlocked.Exchange(ref _storeDown, 0) == 1)
        {
            Log.WebhookStoreBack(_logger);
        }
    }

    private sealed class Window(long started)
    {
        internal long Started { get; } = started;

        internal long Suppressed { get; set; }
    }
}
