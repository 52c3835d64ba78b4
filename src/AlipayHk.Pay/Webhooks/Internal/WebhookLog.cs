using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay;

/// <summary>
/// The webhook logger of one merchant (<see cref="Logger"/>, for the lines logged as they come) and the lines it keeps
/// bounded under attack: a rejection of each kind (a bad signature, a malformed body, ...) is logged the first time,
/// then counted and summarised in one line per <see cref="SummaryInterval"/>; a failing duplicate store is logged once
/// per outage. The metric <c>alipayhk.webhook.deliveries</c> keeps the exact counts.
/// </summary>
internal sealed class WebhookLog(ILoggerFactory loggers, TimeProvider timeProvider)
{
    /// <summary>How often a kind of rejection that goes on is summarised.</summary>
    internal static readonly TimeSpan SummaryInterval = TimeSpan.FromMinutes(1);

    private readonly Dictionary<WebhookFailureReason, Window> _windows = [];

    /// <summary>1 while the duplicate store is failing: its failures are then logged at debug level.</summary>
    private int _storeDown;

    internal ILogger Logger { get; } = loggers.CreateLogger("AlipayHk.Pay.Webhooks");

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
            Log.WebhookRejectionsSummarised(Logger, suppressed, reason, SummaryInterval.TotalSeconds);
        }

        Log.WebhookRejected(Logger, reason, detail);
    }

    /// <summary>A failure of the duplicate store: a warning once per outage (a store that is down fails every delivery), then debug.</summary>
    internal void StoreFailed(string operation, string key, Exception exception)
    {
        if (Interlocked.Exchange(ref _storeDown, 1) == 0)
        {
            Log.WebhookStoreFailed(Logger, operation, key, exception);
        }
        else
        {
            Log.WebhookStoreStillFailing(Logger, operation, key, exception);
        }
    }

    internal void StoreWorked()
    {
        if (Volatile.Read(ref _storeDown) == 1 && Interlocked.Exchange(ref _storeDown, 0) == 1)
        {
            Log.WebhookStoreBack(Logger);
        }
    }

    private sealed class Window(long started)
    {
        internal long Started { get; } = started;

        internal long Suppressed { get; set; }
    }
}
