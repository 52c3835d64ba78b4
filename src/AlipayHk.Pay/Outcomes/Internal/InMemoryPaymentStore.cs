namespace AlipayHk.Pay.Outcomes;

/// <summary>
/// The default <see cref="IAlipayHkPayPaymentStore"/>: payments in this process's memory. Exactly once within the
/// process (one handler run at a time per payment, callers of the same payment wait for it); a restart forgets every
/// payment, open ones included. Use <c>AlipayHk.Pay.EntityFrameworkCore</c> to survive restarts and serve several instances.
/// </summary>
internal sealed class InMemoryPaymentStore(TimeProvider timeProvider) : IAlipayHkPayPaymentStore
{
    private readonly Dictionary<(string, string), Entry> _payments = [];

    public Task<TrackedPayment?> FindAsync(string merchant, string merchantOrderId, CancellationToken cancellationToken)
    {
        lock (_payments)
        {
            return Task.FromResult(_payments.TryGetValue((merchant, merchantOrderId), out Entry? entry) ? entry.Payment.Clone() : null);
        }
    }

    public Task SaveAsync(TrackedPayment payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        lock (_payments)
        {
            if (!_payments.TryGetValue((payment.Merchant, payment.MerchantOrderId), out Entry? entry))
            {
                _payments[(payment.Merchant, payment.MerchantOrderId)] = new Entry(payment.Clone());
            }
            else if (!IsFinal(entry.Payment))
            {
                entry.Payment = payment.Clone();
            }
        }

        return Task.CompletedTask;
    }

    public async Task<bool> CompleteAsync(PaymentOutcome outcome, Func<CancellationToken, Task> handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(handler);
        PaymentIntent payment = outcome.Payment;
        (string, string) key = (outcome.MerchantName ?? string.Empty, payment.MerchantOrderId);
        Entry entry;
        lock (_payments)
        {
            if (!_payments.TryGetValue(key, out entry!))
            {
                // A payment created elsewhere: recorded as it arrives.
                entry = new Entry(new TrackedPayment { Merchant = key.Item1, MerchantOrderId = key.Item2, Amount = payment.Amount, CreatedAt = payment.CreateTime, State = TrackedPaymentState.Pending });
                _payments[key] = entry;
            }
        }

        // One handler run at a time per payment: the others wait, then find it handled (or run it, if that run failed).
        await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsFinal(entry.Payment))
            {
                return false;
            }

            await handler(cancellationToken).ConfigureAwait(false);
            lock (_payments)
            {
                TrackedPayment done = entry.Payment.Clone();
                Finalize(done, outcome, timeProvider.GetUtcNow());
                entry.Payment = done;
            }

            return true;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    public Task<IReadOnlyList<TrackedPayment>> ListOpenAsync(int max, CancellationToken cancellationToken)
    {
        lock (_payments)
        {
            return Task.FromResult<IReadOnlyList<TrackedPayment>>(
                [.. _payments.Values.Select(e => e.Payment).Where(p => p.IsOpen).OrderBy(p => p.CreatedAt).Take(max).Select(p => p.Clone())]);
        }
    }

    public Task<IReadOnlyList<TrackedPayment>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        lock (_payments)
        {
            List<TrackedPayment> due = [.. _payments.Values.Select(e => e.Payment)
                .Where(p => p.State is TrackedPaymentState.Creating or TrackedPaymentState.Pending && p.NextCheckAt <= now)
                .OrderBy(p => p.NextCheckAt)
                .Take(max)];
            foreach (TrackedPayment payment in due)
            {
                payment.NextCheckAt = leaseUntil;
            }

            return Task.FromResult<IReadOnlyList<TrackedPayment>>([.. due.Select(p => p.Clone())]);
        }
    }

    /// <summary>Sets the final fields of a record: the one definition every store follows.</summary>
    internal static void Finalize(TrackedPayment record, PaymentOutcome outcome, DateTimeOffset now)
    {
        PaymentIntent payment = outcome.Payment;
        record.State = payment.Status == PaymentStatus.Succeeded ? TrackedPaymentState.Succeeded : TrackedPaymentState.Cancelled;
        record.OrderId = payment.OrderId.Length > 0 ? payment.OrderId : record.OrderId;
        record.RawStatus = payment.RawStatus;
        record.PayTime = payment.PayTime;
        record.HandledAt = now;
        record.HandledBy = outcome.Source;
        record.UpdatedAt = now;
        record.NextCheckAt = null;
    }

    private static bool IsFinal(TrackedPayment payment) => payment.State is TrackedPaymentState.Succeeded or TrackedPaymentState.Cancelled;

    private sealed class Entry(TrackedPayment payment)
    {
        internal TrackedPayment Payment { get; set; } = payment;

        internal SemaphoreSlim Gate { get; } = new(1, 1);
    }
}
