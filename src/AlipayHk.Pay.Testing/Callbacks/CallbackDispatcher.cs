using System.Globalization;
using System.Net.Http.Headers;
using AlipayHk.Pay.Testing.Endpoints;
using AlipayHk.Pay.Testing.Hosting;
using AlipayHk.Pay.Testing.Logging;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.Testing.Callbacks;

/// <summary>
/// Sends <c>payment_success</c> notifications and retries them on the gateway's schedule, scaled. Every attempt is
/// recorded; waiters are woken on each one.
/// </summary>
internal sealed class CallbackDispatcher(
    CallbackTransport transport,
    BackgroundWork background,
    TimeProvider timeProvider,
    string webhookKey,
    string signatureHeader,
    IReadOnlyList<TimeSpan> retryDelays,
    double timeScale,
    TimeSpan attemptTimeout,
    ILogger logger)
{
    private readonly object _gate = new();
    private readonly List<CallbackDelivery> _deliveries = [];
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

    /// <summary>Starts delivering the notification for a paid order, in the background.</summary>
    public void Start(string orderId, string merchantOrderId, Uri notifyUrl)
    {
        byte[] body = GatewayJson.PaymentSuccessNotification(orderId, merchantOrderId);
        string signature = SimulatedCallbackSignature.Compute(body, webhookKey);
        background.Run(stopping => DeliverAsync(orderId, merchantOrderId, notifyUrl, body, signature, stopping));
    }

    /// <summary>Waits until <paramref name="find"/> picks a delivery from those recorded so far.</summary>
    public Task<CallbackDelivery> WaitAsync(Func<IReadOnlyList<CallbackDelivery>, CallbackDelivery?> find, CancellationToken cancellationToken) =>
        Signal.WaitAsync(() => find(_deliveries), cancellationToken);

    /// <summary>Wakes every waiter for good: no delivery will be recorded any more.</summary>
    public void Stop() => Signal.Stop();

    private async Task DeliverAsync(string orderId, string merchantOrderId, Uri url, byte[] body, string signature, CancellationToken stopping)
    {
        int attempts = retryDelays.Count + 1;
        for (int attempt = 1; attempt <= attempts; attempt++)
        {
            DateTimeOffset sentAt = timeProvider.GetUtcNow();
            (int? status, string? error) = await SendOnceAsync(url, body, signature, stopping).ConfigureAwait(false);
            stopping.ThrowIfCancellationRequested();

            Task? wait = null;
            DateTimeOffset? nextAt = null;
            if (status != 200 && attempt < attempts)
            {
                TimeSpan delay = TimeSpan.FromTicks((long)(retryDelays[attempt - 1].Ticks * timeScale));

                // The timer is armed before the attempt is published: a test that sees the attempt and then
                // advances a fake clock is sure to fire it.
                wait = Task.Delay(delay, timeProvider, stopping);
                nextAt = timeProvider.GetUtcNow() + delay;
            }

            SimulatorLog.CallbackSent(
                logger,
                attempt,
                orderId,
                url,
                status is { } code
                    ? string.Create(CultureInfo.InvariantCulture, $"HTTP {code}{(nextAt is { } next ? $", next attempt at {next:O}" : string.Empty)}")
                    : $"{error}{(nextAt is { } retry ? string.Create(CultureInfo.InvariantCulture, $", next attempt at {retry:O}") : string.Empty)}");
            Publish(new CallbackDelivery
            {
                OrderId = orderId,
                MerchantOrderId = merchantOrderId,
                Attempt = attempt,
                Url = url,
                Body = System.Text.Encoding.UTF8.GetString(body),
                Signature = signature,
                SentAt = sentAt,
                StatusCode = status,
                Error = error,
                NextAttemptAt = nextAt,
            });

            if (wait is null)
            {
                return;
            }

            await wait.ConfigureAwait(false);
        }
    }

    private async Task<(int? Status, string? Error)> SendOnceAsync(Uri url, byte[] body, string signature, CancellationToken stopping)
    {
        using var timeout = new CancellationTokenSource(attemptTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(signatureHeader, signature);
        try
        {
            using HttpResponseMessage response = await transport.SendAsync(request, linked.Token).ConfigureAwait(false);
            return ((int)response.StatusCode, null);
        }
        catch (OperationCanceledException ex) when (!stopping.IsCancellationRequested)
        {
            return (null, timeout.IsCancellationRequested
                ? string.Create(CultureInfo.InvariantCulture, $"no answer within {attemptTimeout.TotalMilliseconds:0} ms")
                : ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A refused connection, or a failure of a custom CallbackHandler: a failed attempt, retried like any other.
            return (null, CallbackDiagnosis.NoAnswer(ex, url, transport.InMemory));
        }
    }

    private void Publish(CallbackDelivery delivery)
    {
        lock (_gate)
        {
            _deliveries.Add(delivery);
            Signal.Notify();
        }
    }
}
