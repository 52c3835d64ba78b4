using AlipayHk.Pay.Payments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AlipayHk.Pay.Outcomes;

/// <summary>
/// Resolves the payments the store holds as open, so that a missed webhook, a crash or a restart never leaves a sale
/// unknown. It starts with the app and runs on every instance; the store hands each due payment to one instance at a time
/// (<see cref="IAlipayHkPayPaymentStore.ClaimDueAsync"/>), and the store's final transition decides anyway.
/// <list type="bullet">
/// <item>Pending: queried on a schedule that backs off with age (a tenth of it, between the minimum and maximum
/// intervals), with bounded concurrency and a cap on queries per second. Final: the handler runs (a failed run is tried
/// again at the next look).</item>
/// <item>Creating (the app stopped during a create): asked by merchant order id, as a create's recovery does. Found: pending.
/// Not found twice once the create can no longer land (four total timeouts after it began): not created, never handled.</item>
/// <item>Open past the tracking horizon: expired, reported (a warning, a metric), no longer queried on the schedule.</item>
/// </list>
/// </summary>
internal sealed class Reconciler(IServiceProvider services, OutcomeTracker tracker) : IHostedService, IDisposable
{
    /// <summary>How long a payment handed to this instance is not handed to another: longer than one look takes.</summary>
    internal static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stopping = new();
    private readonly object _pace = new();
    private Task? _loop;
    private long _nextStart;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (tracker.Options.ReconcilerEnabled)
        {
            _loop = RunAsync(_stopping.Token);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            await loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Dispose() => _stopping.Dispose();

    /// <summary>Looks at every payment due now; says how many.</summary>
    internal async Task<int> ReconcileDueAsync(CancellationToken cancellationToken)
    {
        AlipayHkPayOutcomeOptions options = tracker.Options;
        DateTimeOffset now = tracker.Time.GetUtcNow();
        IReadOnlyList<TrackedPayment> due = await tracker.ClaimDueAsync(now, now + Lease, options.MaxConcurrentChecks * 4, cancellationToken).ConfigureAwait(false);
        using var slots = new SemaphoreSlim(options.MaxConcurrentChecks);
        var checks = new List<Task>(due.Count);
        foreach (TrackedPayment payment in due)
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            await PaceAsync(options, cancellationToken).ConfigureAwait(false);
            checks.Add(CheckReleasingAsync(payment, slots, cancellationToken));
        }

        await Task.WhenAll(checks).ConfigureAwait(false);
        return due.Count;
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding); // off the starting thread, and off its context (a UI app's)
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (await ReconcileDueAsync(stopping).ConfigureAwait(false) > 0)
                {
                    continue;
                }

                await Task.Delay(tracker.Options.ScanInterval, tracker.Time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store is down, say: logged, and tried again after a pause. Nothing is lost: the payments stay open.
                Log.ReconcilerFailed(tracker.Logger, ex);
                await Task.Delay(tracker.Options.ScanInterval, tracker.Time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task CheckReleasingAsync(TrackedPayment payment, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            await CheckAsync(payment, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.ReconcilerFailed(tracker.Logger, ex); // the lease lapses and the payment is looked at again
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Looks at one open payment: asks the gateway, and records what it says.</summary>
    internal async Task CheckAsync(TrackedPayment payment, CancellationToken cancellationToken)
    {
        AlipayHkPayOutcomeOptions options = tracker.Options;
        DateTimeOffset now = tracker.Time.GetUtcNow();
        TimeSpan age = now - payment.CreatedAt;
        string? merchantName = payment.Merchant.Length == 0 ? null : payment.Merchant;
        if (services.GetKeyedService<AlipayHkPayClient>(payment.Merchant) is not { } client)
        {
            Log.OutcomeMerchantMissing(tracker.Logger, payment.MerchantOrderId, payment.Merchant);
            await RescheduleAsync(payment, now + options.MaxCheckInterval, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (age > options.TrackingHorizon)
        {
            payment.State = TrackedPaymentState.Expired;
            payment.NextCheckAt = null;
            payment.UpdatedAt = now;
            await tracker.SaveAsync(payment, cancellationToken).ConfigureAwait(false);
            tracker.Instruments.CountOutcome("expired", PaymentOutcomeSource.Reconciliation, merchantName);
            Log.OutcomeExpired(tracker.Logger, payment.MerchantOrderId, payment.OrderId, options.TrackingHorizon);
            return;
        }

        payment.Checks++;
        PaymentReference reference = payment.OrderId is { Length: > 0 } orderId ? PaymentReference.ByOrderId(orderId) : PaymentReference.ByMerchantOrderId(payment.MerchantOrderId);
        try
        {
            PaymentIntent intent = await client.QueryAsync(reference, cancellationToken).ConfigureAwait(false);
            if (intent.IsFinal)
            {
                try
                {
                    await tracker.CompleteAsync(merchantName, intent, PaymentOutcomeSource.Reconciliation, cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // The handler failed (logged and counted where it ran): offered again at the next look, backing off with age.
                    await RescheduleAsync(payment, now + Pause(age, options), cancellationToken).ConfigureAwait(false);
                    return;
                }
            }

            payment.State = TrackedPaymentState.Pending;
            payment.OrderId = intent.OrderId.Length > 0 ? intent.OrderId : payment.OrderId;
            payment.RawStatus = intent.RawStatus;
            payment.NotFound = 0;
        }
        catch (AlipayHkPayApiException notFound) when (!notFound.IsTransient && payment.State == TrackedPaymentState.Creating)
        {
            // The create may still land until four total timeouts after it began (it makes at most four exchanges):
            // until then "not found" only means "not yet", and the payment is looked at again on the schedule.
            DateTimeOffset settled = payment.CreatedAt + (4 * client.Merchant.Options.TotalTimeout);
            if (now < settled)
            {
                await RescheduleAsync(payment, now + Pause(age, options), cancellationToken).ConfigureAwait(false);
                return;
            }

            if (++payment.NotFound >= 2)
            {
                await tracker.NotCreatedAsync(payment, cancellationToken).ConfigureAwait(false);
                return;
            }

            await RescheduleAsync(payment, now + options.MinCheckInterval, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (AlipayHkPayException)
        {
            // Transient, or a refusal of a pending order (logged where it happened): look again later.
        }

        await RescheduleAsync(payment, now + Pause(age, options), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The pause before the next look: a tenth of the payment's age, between the minimum and maximum intervals.</summary>
    internal static TimeSpan Pause(TimeSpan age, AlipayHkPayOutcomeOptions options)
    {
        TimeSpan pause = age / 10;
        return pause < options.MinCheckInterval ? options.MinCheckInterval : pause > options.MaxCheckInterval ? options.MaxCheckInterval : pause;
    }

    private Task RescheduleAsync(TrackedPayment payment, DateTimeOffset next, CancellationToken cancellationToken)
    {
        payment.NextCheckAt = next;
        payment.UpdatedAt = tracker.Time.GetUtcNow();
        return tracker.SaveAsync(payment, cancellationToken);
    }

    /// <summary>Spaces the queries out: at most <see cref="AlipayHkPayOutcomeOptions.MaxChecksPerSecond"/>.</summary>
    private Task PaceAsync(AlipayHkPayOutcomeOptions options, CancellationToken cancellationToken)
    {
        long now = tracker.Time.GetTimestamp();
        long spacing = (long)(tracker.Time.TimestampFrequency / options.MaxChecksPerSecond);
        long start;
        lock (_pace)
        {
            start = Math.Max(now, _nextStart);
            _nextStart = start + spacing;
        }

        long wait = start - now;
        return wait <= 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromSeconds((double)wait / tracker.Time.TimestampFrequency), tracker.Time, cancellationToken);
    }
}
