using System.Diagnostics;
using AlipayHk.Pay.Diagnostics;
using AlipayHk.Pay.Pipeline;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.Payments;

/// <summary>
/// <see cref="IAlipayHkPayClient.WaitForCompletionAsync"/>: queries with growing pauses until the payment is final or
/// the wait's timeout has passed, and returns at once when <see cref="IAlipayHkPayCompletionSignals"/> announces the
/// payment final (a confirmed webhook). A query that fails transiently does not end the wait. One internal span
/// (<c>AlipayHkPay.WaitForCompletion</c>) covers the wait, with a <c>GetPayment</c> span per query under it.
/// </summary>
internal sealed class CompletionPoller(AlipayHkPayClient client, GatewayPipeline pipeline, IAlipayHkPayCompletionSignals signals, TimeProvider timeProvider)
{
    private string? Merchant => pipeline.Merchant.Name;

    private ILogger Logger => pipeline.Logger;

    internal async Task<PaymentIntent> WaitAsync(PaymentReference reference, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        OperationScope scope = OperationScope.Start(pipeline.Instruments, TelemetryNames.WaitForCompletion, ActivityKind.Internal, Merchant);
        scope.SetTag(TelemetryNames.OrderId, reference.OrderId);
        scope.SetTag(TelemetryNames.MerchantOrderId, reference.MerchantOrderId);
        try
        {
            PaymentIntent outcome = await PollAsync(reference, timeout, pipeline.Merchant.Options, cancellationToken).ConfigureAwait(false);
            if (outcome.IsFinal && client.Outcomes is { } outcomes)
            {
                // Handled before the wait returns (when the webhook is handling it, this waits for that run to end).
                await outcomes.CompleteQuietlyAsync(Merchant, outcome, PaymentOutcomeSource.Wait, cancellationToken).ConfigureAwait(false);
            }

            if (scope.Activity is { } done)
            {
                PaymentSpan.Tag(done, outcome);
            }

            return outcome;
        }
        catch (Exception ex)
        {
            scope.Fail(ex);
            throw;
        }
        finally
        {
            scope.Dispose();
        }
    }

    private async Task<PaymentIntent> PollAsync(PaymentReference reference, TimeSpan timeout, AlipayHkPayOptions settings, CancellationToken cancellationToken)
    {
        // Listening before the first query: an announcement between that query and the first pause is not missed.
        var signalled = new TaskCompletionSource<PaymentIntent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using IDisposable? subscription = Subscribe(reference, signalled);
        DateTimeOffset deadline = timeProvider.GetUtcNow() + timeout;
        TimeSpan? backstop = settings.WebhookBackstopDelay;
        TimeSpan delay = backstop ?? settings.PollInitialDelay;
        TimeSpan maxDelay = backstop ?? settings.PollMaxDelay;
        bool pauseFirst = backstop is not null;
        PaymentIntent? last = null;
        AlipayHkPayException? lastFailure = null;

        using var waitEnds = timeProvider.CreateCancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, waitEnds.Token);
        while (true)
        {
            if (signalled.Task.IsCompleted) // announced final: the task is only ever given a result
            {
                Log.WaitSignalled(Logger, reference.ToString(), signalled.Task.Result.RawStatus);
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
                    last = await client.QueryAsync(reference, linked.Token).ConfigureAwait(false);
                    if (last.IsFinal)
                    {
                        return last;
                    }
                }
                catch (AlipayHkPayException ex) when (ex.IsTransient)
                {
                    lastFailure = ex;
                    Log.PollFailed(Logger, reference.ToString(), ex.Message);
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
            Log.StillWaiting(Logger, reference.ToString(), last?.RawStatus ?? "no answer yet", pause.TotalMilliseconds);
            try
            {
                // The pause ends early when the payment is announced final.
                PaymentIntent announced = await signalled.Task.WaitAsync(pause, timeProvider, linked.Token).ConfigureAwait(false);
                Log.WaitSignalled(Logger, reference.ToString(), announced.RawStatus);
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

    /// <summary>Listens for the payment's announcement; <see langword="null"/> when the signals failed (polling alone still ends the wait).</summary>
    private IDisposable? Subscribe(PaymentReference reference, TaskCompletionSource<PaymentIntent> signalled)
    {
        try
        {
            return signals.Subscribe(Merchant, reference, payment =>
            {
                if (payment.IsFinal)
                {
                    signalled.TrySetResult(payment);
                }
            });
        }
        catch (Exception ex)
        {
            Log.SignalsFailed(Logger, "subscribe", reference.ToString(), ex);
            return null;
        }
    }
}
