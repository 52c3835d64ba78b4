using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.Payments;

/// <summary>
/// <see cref="IAlipayHkPayClient.WaitForCompletionAsync"/>: queries with growing pauses until the payment is final or
/// the wait's timeout has passed, and returns at once when <see cref="IAlipayHkPayCompletionSignals"/> announces the
/// payment final (a confirmed webhook). A query that fails transiently does not end the wait.
/// </summary>
internal sealed class CompletionPoller(IAlipayHkPayClient client, IAlipayHkPayCompletionSignals signals, string? merchant, TimeProvider timeProvider, ILogger logger)
{
    internal async Task<PaymentIntent> WaitAsync(PaymentReference reference, TimeSpan timeout, AlipayHkPayOptions settings, CancellationToken cancellationToken)
    {
        // Listening before the first query: an announcement between that query and the first pause is not missed.
        var signalled = new TaskCompletionSource<PaymentIntent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using IDisposable subscription = Subscribe(reference, signalled);
        DateTimeOffset deadline = timeProvider.GetUtcNow() + timeout;
        TimeSpan? backstop = settings.WebhookBackstopDelay;
        TimeSpan delay = backstop ?? settings.PollInitialDelay;
        TimeSpan maxDelay = backstop ?? settings.PollMaxDelay;
        bool pauseFirst = backstop is not null;
        PaymentIntent? last = null;
        AlipayHkPayException? lastFailure = null;

        using var waitEnds = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, waitEnds.Token);
        while (true)
        {
            if (signalled.Task.IsCompletedSuccessfully)
            {
                Log.WaitSignalled(logger, reference.ToString(), signalled.Task.Result.RawStatus);
                return signalled.Task.Result;
            }

            if (pauseFirst)
            {
                pauseFirst = false; // counting on the webhook: the first query is the backstop's, after a pause
            }
            else
            {
                try
                {
                    last = await client.GetPaymentAsync(reference, linked.Token).ConfigureAwait(false);
                    if (last.IsFinal)
                    {
                        return last;
                    }
                }
                catch (AlipayHkPayException ex) when (ex.IsTransient)
                {
                    lastFailure = ex;
                    Log.PollFailed(logger, reference.ToString(), ex.Message);
                }
                catch (OperationCanceledException) when (waitEnds.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    break; // The wait's own timeout cut a query short.
                }
            }

            TimeSpan remaining = deadline - timeProvider.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            // A wait that has not asked the gateway yet (the backstop's first pause) keeps half of what is left for one query.
            TimeSpan pause = delay < remaining ? delay : last is null && lastFailure is null ? remaining / 2 : remaining;
            Log.StillWaiting(logger, reference.ToString(), last?.RawStatus ?? "no answer yet", pause.TotalMilliseconds);
            try
            {
                // The pause ends early when the payment is announced final.
                PaymentIntent announced = await signalled.Task.WaitAsync(pause, timeProvider, linked.Token).ConfigureAwait(false);
                Log.WaitSignalled(logger, reference.ToString(), announced.RawStatus);
                return announced;
            }
            catch (TimeoutException)
            {
                // The pause is over: query again.
            }
            catch (OperationCanceledException) when (waitEnds.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, maxDelay.Ticks));
        }

        return last ?? throw new AlipayHkPayException(
            $"No answer about {reference} within {timeout}: {lastFailure?.Message ?? "no query completed"}",
            lastFailure?.RequestId,
            lastFailure?.StatusCode,
            lastFailure);
    }

    private IDisposable Subscribe(PaymentReference reference, TaskCompletionSource<PaymentIntent> signalled)
    {
        try
        {
            return signals.Subscribe(merchant, reference, payment =>
            {
                if (payment.IsFinal)
                {
                    signalled.TrySetResult(payment);
                }
            });
        }
        catch (Exception ex)
        {
            // Polling alone still ends the wait.
            Log.SignalsFailed(logger, "subscribe", reference.ToString(), ex);
            return NoSubscription.Instance;
        }
    }

    private sealed class NoSubscription : IDisposable
    {
        internal static readonly NoSubscription Instance = new();

        public void Dispose()
        {
        }
    }
}
