using System.Globalization;
using System.Net.Http.Headers;
using AlipayHk.Pay.Testing.Gateway.Internal;
using AlipayHk.Pay.Testing.Hosting.Internal;
using AlipayHk.Pay.Testing.Logging.Internal;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.Testing.Callbacks.Internal;

/// <summary>
/// Sends <c>payment_success</c> notifications and retries them on the gateway's schedule, scaled. Every attempt is
/// recorded; waiters are woken on each one. A pending retry can be sent at once, and a settled order notified again.
/// </summary>
internal sealed class CallbackDispatcher(
    CallbackTransport transport,
    BackgroundWork background,
    TimeProvider timeProvider,
    string signatureHeader,
    IReadOnlyList<TimeSpan> retryDelays,
    double timeScale,
    TimeSpan attemptTimeout,
    ILogger logger,
    ChangeFeed changes)
{
    private readonly object _gate = new();
    private readonly List<CallbackDelivery> _deliveries = [];
    private readonly Dictionary<string, Run> _runs = new(StringComparer.Ordinal);
    private int _generation;
    private ChangeSignal? _signal;

    // Created on first use (a field initializer cannot see _gate); CompareExchange publishes exactly one.
    private ChangeSignal Signal => LazyInitializer.EnsureInitialized(ref _signal, () => new ChangeSignal(_gate));

    public IReadOnlyList<CallbackDelivery> Snapshot()
    {
        lock (_gate)
        {
            return _deliveries.ToArray();
        }
    }

    /// <summary>Starts delivering the notification for a paid order, in the background, on the whole schedule.</summary>
    public void Start(string orderId, string merchantOrderId, Uri notifyUrl, string webhookKey)
    {
        Run run = NewRun(orderId, merchantOrderId, notifyUrl, webhookKey);
        background.Run(stopping => DeliverAsync(run, retryDelays.Count + 1, stopping));
    }

    /// <summary>
    /// Sends the order's next notification now: a retry still waiting goes at once (and the schedule goes on from it);
    /// an attempt under way is awaited; once the schedule is over (accepted, or the last failed), one more
    /// notification is sent, with no retry of its own. Returns the number of the attempt to wait for.
    /// </summary>
    /// <returns>The attempt number, or <see langword="null"/> when the order was never notified.</returns>
    public async Task<int?> RedeliverAsync(string orderId)
    {
        CancellationTokenSource? skip = null;
        Run? fresh = null;
        int attempt;
        lock (_gate)
        {
            if (!_runs.TryGetValue(orderId, out Run? run))
            {
                return null;
            }

            attempt = run.Attempts + 1;
            if (run.Active)
            {
                skip = run.Skip; // Null while an attempt is being sent: that attempt is the one to wait for.
                run.Skip = null;
            }
            else
            {
                run.Active = true;
                fresh = run;
            }
        }

        if (skip is not null)
        {
            try
            {
                await skip.CancelAsync().ConfigureAwait(false); // Asynchronously: the delivery does not go on inside this call.
            }
            catch (ObjectDisposedException)
            {
                // The wait ended by itself meanwhile: that attempt is on its way anyway.
            }
        }

        if (fresh is not null)
        {
            background.Run(stopping => DeliverAsync(fresh, fresh.Attempts + 1, stopping));
        }

        return attempt;
    }

    /// <summary>Waits until <paramref name="find"/> picks a delivery from those recorded so far.</summary>
    /// <exception cref="InvalidOperationException">The simulator was reset meanwhile: it will not come.</exception>
    public Task<CallbackDelivery> WaitAsync(Func<IReadOnlyList<CallbackDelivery>, CallbackDelivery?> find, CancellationToken cancellationToken)
    {
        int generation = Volatile.Read(ref _generation);
        return Signal.WaitAsync(
            () => _generation == generation ? find(_deliveries) : throw new InvalidOperationException("The simulator was reset while this wait was on: no such callback will come."),
            cancellationToken);
    }

    /// <summary>Forgets every delivery; the background work was stopped first (<see cref="BackgroundWork.Reset"/>).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _deliveries.Clear();
            _runs.Clear();
            _generation++;
            Signal.Notify();
        }

        changes.Notify();
    }

    /// <summary>Wakes every waiter for good: no delivery will be recorded any more.</summary>
    public void Stop() => Signal.Stop();

    private Run NewRun(string orderId, string merchantOrderId, Uri notifyUrl, string webhookKey)
    {
        byte[] body = GatewayJson.PaymentSuccessNotification(orderId, merchantOrderId);
        var run = new Run(orderId, merchantOrderId, notifyUrl, body, SimulatedCallbackSignature.Compute(body, webhookKey)) { Active = true };
        lock (_gate)
        {
            _runs[orderId] = run;
        }

        return run;
    }

    /// <summary>Sends attempts until one is accepted or attempt <paramref name="lastAttempt"/> has been sent.</summary>
    private async Task DeliverAsync(Run run, int lastAttempt, CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                int attempt;
                lock (_gate)
                {
                    attempt = run.Attempts + 1;
                }

                DateTimeOffset sentAt = timeProvider.GetUtcNow();
                (int? status, string? error, Uri? location) = await SendOnceAsync(run, stopping).ConfigureAwait(false);
                stopping.ThrowIfCancellationRequested();

                Task? wait = null;
                DateTimeOffset? nextAt = null;
                CancellationTokenSource? skip = null;
                if (status != 200 && attempt < lastAttempt)
                {
                    TimeSpan delay = TimeSpan.FromTicks((long)(retryDelays[attempt - 1].Ticks * timeScale));

                    // The timer is armed before the attempt is published: a test that sees the attempt and then
                    // advances a fake clock is sure to fire it.
                    skip = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                    wait = Task.Delay(delay, timeProvider, skip.Token);
                    nextAt = timeProvider.GetUtcNow() + delay;
                }

                SimulatorLog.CallbackSent(
                    logger,
                    attempt,
                    run.OrderId,
                    run.Url,
                    status is { } code
                        ? string.Create(CultureInfo.InvariantCulture, $"HTTP {code}{(location is { } to ? $" (a redirect to {to}, not followed)" : string.Empty)}{(nextAt is { } next ? $", next attempt at {next:O}" : string.Empty)}")
                        : $"{error}{(nextAt is { } retry ? string.Create(CultureInfo.InvariantCulture, $", next attempt at {retry:O}") : string.Empty)}");
                var delivery = new CallbackDelivery
                {
                    OrderId = run.OrderId,
                    MerchantOrderId = run.MerchantOrderId,
                    Attempt = attempt,
                    Url = run.Url,
                    Body = System.Text.Encoding.UTF8.GetString(run.Body),
                    Signature = run.Signature,
                    SentAt = sentAt,
                    StatusCode = status,
                    Error = error,
                    Location = location,
                    NextAttemptAt = nextAt,
                };
                lock (_gate)
                {
                    if (stopping.IsCancellationRequested)
                    {
                        return; // Reset or disposed meanwhile: nothing more is recorded.
                    }

                    run.Attempts = attempt;
                    run.Skip = skip;
                    run.Active = wait is not null;
                    _deliveries.Add(delivery);
                    Signal.Notify();
                }

                changes.Notify();
                if (wait is null)
                {
                    return;
                }

                using (skip)
                {
                    try
                    {
                        await wait.ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                    {
                        // "Deliver now": the wait was cut short.
                    }
                }

                lock (_gate)
                {
                    run.Skip = null;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                run.Active &= !stopping.IsCancellationRequested;
            }
        }
    }

    private async Task<(int? Status, string? Error, Uri? Location)> SendOnceAsync(Run run, CancellationToken stopping)
    {
        using var timeout = new CancellationTokenSource(attemptTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, run.Url);
        request.Content = new ByteArrayContent(run.Body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(signatureHeader, run.Signature);
        try
        {
            using HttpResponseMessage response = await transport.SendAsync(request, linked.Token).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            Uri? location = status is >= 300 and < 400 && response.Headers.Location is { } to ? new Uri(run.Url, to) : null;
            return (status, null, location);
        }
        catch (OperationCanceledException ex) when (!stopping.IsCancellationRequested)
        {
            return (null, timeout.IsCancellationRequested
                ? string.Create(CultureInfo.InvariantCulture, $"no answer within {attemptTimeout.TotalMilliseconds:0} ms")
                : ex.Message, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A refused connection, or a failure of a custom CallbackHandler: a failed attempt, retried like any other.
            return (null, CallbackDiagnosis.NoAnswer(ex, run.Url, transport.InMemory), null);
        }
    }

    /// <summary>One order's notifications: what is sent, how many attempts so far, and the wait a "deliver now" cuts short.</summary>
    private sealed class Run(string orderId, string merchantOrderId, Uri url, byte[] body, string signature)
    {
        public string OrderId => orderId;

        public string MerchantOrderId => merchantOrderId;

        public Uri Url => url;

        public byte[] Body => body;

        public string Signature => signature;

        /// <summary>Attempts recorded so far. Under the dispatcher's lock.</summary>
        public int Attempts { get; set; }

        /// <summary>Whether a delivery loop is on for this order (sending, or waiting for a retry). Under the dispatcher's lock.</summary>
        public bool Active { get; set; }

        /// <summary>Cancels the wait for the next retry; null while no retry is waiting. Under the dispatcher's lock.</summary>
        public CancellationTokenSource? Skip { get; set; }
    }
}
