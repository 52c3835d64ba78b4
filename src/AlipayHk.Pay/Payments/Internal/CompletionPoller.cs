using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.Payments;

/// <summary>
/// <see cref="IAlipayHkPayClient.WaitForCompletionAsync"/>: queries with growing pauses until the payment is final or
/// the wait's timeout has passed. A query that fails transiently does not end the wait.
/// </summary>
internal sealed class CompletionPoller(IAlipayHkPayClient client, TimeProvider timeProvider, ILogger logger)
{
    internal async Task<PaymentIntent> WaitAsync(PaymentReference reference, TimeSpan timeout, AlipayHkPayOptions settings, CancellationToken cancellationToken)
    {
        DateTimeOffset deadline = timeProvider.GetUtcNow() + timeout;
        TimeSpan delay = settings.PollInitialDelay;
        PaymentIntent? last = null;
        AlipayHkPayException? lastFailure = null;

        using var waitEnds = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, waitEnds.Token);
        while (true)
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

            TimeSpan remaining = deadline - timeProvider.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            TimeSpan pause = delay < remaining ? delay : remaining;
            Log.StillWaiting(logger, reference.ToString(), last?.RawStatus ?? "no answer yet", pause.TotalMilliseconds);
            try
            {
                await Task.Delay(pause, timeProvider, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (waitEnds.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.PollMaxDelay.Ticks));
        }

        return last ?? throw new AlipayHkPayException(
            $"No answer about {reference} within {timeout}: {lastFailure?.Message ?? "no query completed"}",
            lastFailure?.RequestId,
            lastFailure?.StatusCode,
            lastFailure);
    }
}
