using System.Runtime.ExceptionServices;
using System.Transactions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage;

namespace AlipayHk.Pay.EntityFrameworkCore;

/// <summary>
/// <see cref="IAlipayHkPayPaymentStore"/> on the app's own <typeparamref name="TContext"/> (scoped: the instance the
/// outcome handler gets in the same scope). Every decision is the database's: a conditional update of one row, or an
/// insert under the key (merchant, merchant order id); nothing is locked in memory, so any number of instances share it.
/// </summary>
/// <remarks>
/// <para><see cref="CompleteAsync"/> runs as one unit in one database transaction on the context: the conditional update
/// to final (or the insert of a payment created elsewhere), the handler, <see cref="DbContext.SaveChangesAsync(CancellationToken)"/>
/// (what the handler changed on the context), and the commit. The unit runs inside the context's execution strategy (a
/// retrying strategy such as Npgsql's <c>EnableRetryOnFailure</c> runs it again from the start after a transient failure,
/// and, when the commit itself failed, first checks whether it took effect). It refuses a context that already has a
/// transaction of its own: its outcome must be committed when it says "handled". An ambient
/// <see cref="System.Transactions.Transaction"/> is suppressed for every call: the store's records are the SDK's, never part of
/// the caller's unit of work.</para>
/// <para>When the handler throws, the transaction is rolled back and the change tracker is cleared, so that nothing the
/// handler left half-made is saved later by another call on the same context (the SDK disposes the scope right after anyway).</para>
/// </remarks>
internal sealed class EfCorePaymentStore<TContext>(TContext context, TimeProvider timeProvider) : IAlipayHkPayPaymentStore
    where TContext : DbContext
{
    /// <summary>How many times a call starts over when another caller changed the row between two of its statements.</summary>
    private const int MaxRounds = 5;

    /// <summary>The context the store works on (the scope's instance).</summary>
    internal TContext Context => context;

    private enum Step
    {
        Handled,
        AlreadyFinal,
        Again,
    }

    /// <summary>The context's payments; a context whose model lacks them is refused with what to do.</summary>
    private DbSet<TrackedPayment> Payments
    {
        get
        {
            if (context.Model.FindEntityType(typeof(TrackedPayment)) is null)
            {
                throw new InvalidOperationException(
                    $"The model of {typeof(TContext).Name} has no AlipayHk.Pay payments: call modelBuilder.AddAlipayHkPayPayments() in its OnModelCreating, then add a migration (dotnet ef migrations add AlipayHkPayPayments).");
            }

            return context.Set<TrackedPayment>();
        }
    }

    public async Task<TrackedPayment?> FindAsync(string merchant, string merchantOrderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(merchant);
        ArgumentNullException.ThrowIfNull(merchantOrderId);
        DbSet<TrackedPayment> payments = Payments;
        using TransactionScope? suppressed = SuppressAmbientTransaction();
        return await payments.AsNoTracking()
            .FirstOrDefaultAsync(p => p.Merchant == merchant && p.MerchantOrderId == merchantOrderId, cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task SaveAsync(TrackedPayment payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        DbSet<TrackedPayment> payments = Payments;
        TrackedPayment row = Copy(payment);
        using TransactionScope? suppressed = SuppressAmbientTransaction();
        IExecutionStrategy strategy = context.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(token => SaveOnceAsync(payments, row, token), cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> CompleteAsync(PaymentOutcome outcome, Func<CancellationToken, Task> handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(handler);
        DbSet<TrackedPayment> payments = Payments;
        if (context.Database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException(
                $"The {typeof(TContext).Name} already has a transaction: the payment store commits the handler's changes and the payment's final state in a transaction of its own, so that a payment reported handled is committed. Complete outcomes on a context without a transaction (the SDK gives each outcome a scope of its own).");
        }

        using TransactionScope? suppressed = SuppressAmbientTransaction();
        var completion = new Completion(outcome, timeProvider.GetUtcNow());
        IExecutionStrategy strategy = context.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(
            completion,
            (_, state, token) => CompleteOnceAsync(payments, state, handler, token),
            async (_, state, token) => new ExecutionResult<bool>(await IsCompletedByAsync(payments, state, token).ConfigureAwait(false), true),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<TrackedPayment>> ListOpenAsync(int max, CancellationToken cancellationToken)
    {
        DbSet<TrackedPayment> payments = Payments;
        if (max <= 0)
        {
            return [];
        }

        using TransactionScope? suppressed = SuppressAmbientTransaction();
        return await payments.AsNoTracking()
            .Where(p => p.State == TrackedPaymentState.Creating || p.State == TrackedPaymentState.Pending || p.State == TrackedPaymentState.Expired)
            .OrderBy(p => p.CreatedAt).ThenBy(p => p.Merchant).ThenBy(p => p.MerchantOrderId)
            .Take(max)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<TrackedPayment>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        DbSet<TrackedPayment> payments = Payments;
        if (max <= 0)
        {
            return [];
        }

        using TransactionScope? suppressed = SuppressAmbientTransaction();
        var due = await payments.AsNoTracking()
            .Where(p => (p.State == TrackedPaymentState.Creating || p.State == TrackedPaymentState.Pending) && p.NextCheckAt <= now)
            .OrderBy(p => p.NextCheckAt).ThenBy(p => p.CreatedAt).ThenBy(p => p.Merchant).ThenBy(p => p.MerchantOrderId)
            .Select(p => new { p.Merchant, p.MerchantOrderId })
            .Take(max)
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        // Each candidate is claimed by a conditional update of its own row: the database gives it to one caller only (a
        // concurrent claimer waits for the row, then finds it no longer due). The rows updated are this caller's, even
        // when another instance uses the same lease time.
        var claimed = new List<(string Merchant, string MerchantOrderId)>(due.Count);
        foreach (var key in due)
        {
            int won = await payments
                .Where(p => p.Merchant == key.Merchant && p.MerchantOrderId == key.MerchantOrderId
                    && (p.State == TrackedPaymentState.Creating || p.State == TrackedPaymentState.Pending) && p.NextCheckAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.NextCheckAt, (DateTimeOffset?)leaseUntil), cancellationToken)
                .ConfigureAwait(false);
            if (won == 1)
            {
                claimed.Add((key.Merchant, key.MerchantOrderId));
            }
        }

        if (claimed.Count == 0)
        {
            return [];
        }

        // Read back as they are now (a create may have given one its order id since), in the order they were due.
        List<string> merchants = [.. claimed.Select(k => k.Merchant).Distinct()];
        List<string> ids = [.. claimed.Select(k => k.MerchantOrderId).Distinct()];
        Dictionary<(string, string), TrackedPayment> rows = (await payments.AsNoTracking()
                .Where(p => merchants.Contains(p.Merchant) && ids.Contains(p.MerchantOrderId))
                .ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(p => (p.Merchant, p.MerchantOrderId));
        return [.. claimed
            .Select(key => rows.GetValueOrDefault(key))
            .OfType<TrackedPayment>()
            .Where(p => p.State is TrackedPaymentState.Creating or TrackedPaymentState.Pending)];
    }

    private async Task SaveOnceAsync(DbSet<TrackedPayment> payments, TrackedPayment row, CancellationToken cancellationToken)
    {
        for (int round = 1; ; round++)
        {
            // Every field but the key, unless the row is final.
            int updated = await Open(payments, row.Merchant, row.MerchantOrderId).ExecuteUpdateAsync(s => s
                    .SetProperty(p => p.Amount, row.Amount)
                    .SetProperty(p => p.Description, row.Description)
                    .SetProperty(p => p.Wallet, row.Wallet)
                    .SetProperty(p => p.State, row.State)
                    .SetProperty(p => p.OrderId, row.OrderId)
                    .SetProperty(p => p.QrCodeUrl, row.QrCodeUrl)
                    .SetProperty(p => p.RawStatus, row.RawStatus)
                    .SetProperty(p => p.PayTime, row.PayTime)
                    .SetProperty(p => p.CreatedAt, row.CreatedAt)
                    .SetProperty(p => p.UpdatedAt, row.UpdatedAt)
                    .SetProperty(p => p.HandledAt, row.HandledAt)
                    .SetProperty(p => p.HandledBy, row.HandledBy)
                    .SetProperty(p => p.NextCheckAt, row.NextCheckAt)
                    .SetProperty(p => p.Checks, row.Checks)
                    .SetProperty(p => p.NotFound, row.NotFound),
                cancellationToken).ConfigureAwait(false);
            if (updated > 0)
            {
                return;
            }

            // No open row: most often a new payment, inserted under the key. Only when the insert fails is the row looked at.
            if (await TryInsertAsync(payments, Copy(row), cancellationToken).ConfigureAwait(false) is not { } failed)
            {
                return;
            }

            TrackedPaymentState? state = await StateAsync(payments, row.Merchant, row.MerchantOrderId, cancellationToken).ConfigureAwait(false);
            if (state is TrackedPaymentState.Succeeded or TrackedPaymentState.Cancelled)
            {
                return; // final: never changed
            }

            if (state is null)
            {
                ExceptionDispatchInfo.Throw(failed); // not a race for the key: the insert itself failed
            }

            // Another caller inserted the row between the update and the insert: once more.
            ThrowIfLastRound(round);
        }
    }

    private async Task<bool> CompleteOnceAsync(DbSet<TrackedPayment> payments, Completion completion, Func<CancellationToken, Task> handler, CancellationToken cancellationToken)
    {
        for (int round = 1; ; round++)
        {
            Step step = await TryCompleteAsync(payments, completion, handler, cancellationToken).ConfigureAwait(false);
            if (step != Step.Again)
            {
                return step == Step.Handled;
            }

            ThrowIfLastRound(round);
        }
    }

    /// <summary>One transaction: the transition to final decides; the winner runs the handler, saves and commits.</summary>
    private async Task<Step> TryCompleteAsync(DbSet<TrackedPayment> payments, Completion c, Func<CancellationToken, Task> handler, CancellationToken cancellationToken)
    {
        IDbContextTransaction transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            try
            {
                // The row lock this takes is held until the commit: a concurrent caller waits here, then finds it final.
                int updated = await Open(payments, c.Merchant, c.MerchantOrderId).ExecuteUpdateAsync(s => s
                        .SetProperty(p => p.State, c.State)
                        .SetProperty(p => p.OrderId, p => c.OrderId ?? p.OrderId)
                        .SetProperty(p => p.RawStatus, c.RawStatus)
                        .SetProperty(p => p.PayTime, c.PayTime)
                        .SetProperty(p => p.HandledAt, (DateTimeOffset?)c.Now)
                        .SetProperty(p => p.HandledBy, (PaymentOutcomeSource?)c.Source)
                        .SetProperty(p => p.UpdatedAt, c.Now)
                        .SetProperty(p => p.NextCheckAt, (DateTimeOffset?)null),
                    cancellationToken).ConfigureAwait(false);
                if (updated == 0)
                {
                    TrackedPaymentState? state = await StateAsync(payments, c.Merchant, c.MerchantOrderId, cancellationToken).ConfigureAwait(false);
                    if (state is not null)
                    {
                        await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                        return state is TrackedPaymentState.Succeeded or TrackedPaymentState.Cancelled ? Step.AlreadyFinal : Step.Again;
                    }

                    // A payment the store does not track (created elsewhere, or before outcomes were on): inserted as
                    // final. The key decides between two inserters: the second waits for the first, then fails.
                    if (await TryInsertAsync(payments, c.FinalRow(), cancellationToken).ConfigureAwait(false) is { } failed)
                    {
                        await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                        if (await StateAsync(payments, c.Merchant, c.MerchantOrderId, cancellationToken).ConfigureAwait(false) is not null)
                        {
                            return Step.Again; // another caller inserted it first: it decides now
                        }

                        ExceptionDispatchInfo.Throw(failed);
                    }
                }

                await handler(cancellationToken).ConfigureAwait(false);
                await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return Step.Handled;
            }
            catch
            {
                // Nothing is recorded, and nothing the handler left on the context is saved by a later call.
                await RollbackQuietlyAsync(transaction).ConfigureAwait(false);
                context.ChangeTracker.Clear();
                throw;
            }
        }
    }

    /// <summary>After a commit that failed on the way back: whether it took effect (this call's final state is there).</summary>
    private static Task<bool> IsCompletedByAsync(DbSet<TrackedPayment> payments, Completion c, CancellationToken cancellationToken) =>
        payments.AsNoTracking().AnyAsync(
            p => p.Merchant == c.Merchant && p.MerchantOrderId == c.MerchantOrderId && p.State == c.State
                && p.HandledAt == (DateTimeOffset?)c.Now && p.HandledBy == (PaymentOutcomeSource?)c.Source,
            cancellationToken);

    /// <summary>Inserts the row through the change tracker (detached after); returns the failure, or <see langword="null"/>.</summary>
    private async Task<DbUpdateException?> TryInsertAsync(DbSet<TrackedPayment> payments, TrackedPayment row, CancellationToken cancellationToken)
    {
        EntityEntry<TrackedPayment> entry = payments.Add(row);
        try
        {
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (DbUpdateException failed)
        {
            return failed;
        }
        finally
        {
            entry.State = EntityState.Detached;
        }
    }

    private static IQueryable<TrackedPayment> Open(DbSet<TrackedPayment> payments, string merchant, string merchantOrderId) =>
        payments.Where(p => p.Merchant == merchant && p.MerchantOrderId == merchantOrderId
            && p.State != TrackedPaymentState.Succeeded && p.State != TrackedPaymentState.Cancelled);

    private static async Task<TrackedPaymentState?> StateAsync(DbSet<TrackedPayment> payments, string merchant, string merchantOrderId, CancellationToken cancellationToken)
    {
        var found = await payments.AsNoTracking()
            .Where(p => p.Merchant == merchant && p.MerchantOrderId == merchantOrderId)
            .Select(p => new { p.State })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return found?.State;
    }

    private static async Task RollbackQuietlyAsync(IDbContextTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException)
        {
            // Rolled back already, or the connection is gone (the server rolls back on its own).
        }
    }

    private static void ThrowIfLastRound(int round)
    {
        if (round >= MaxRounds)
        {
            throw new InvalidOperationException($"The payment changed under this call {MaxRounds} times in a row; try again.");
        }
    }

    /// <summary>
    /// Without this, an ambient <see cref="System.Transactions.Transaction"/> (a <see cref="TransactionScope"/> around the app's
    /// call into the SDK) would enlist the store's records in the app's unit of work.
    /// </summary>
    private static TransactionScope? SuppressAmbientTransaction() =>
        Transaction.Current is null ? null : new TransactionScope(TransactionScopeOption.Suppress, TransactionScopeAsyncFlowOption.Enabled);

    private static TrackedPayment Copy(TrackedPayment p)
    {
        TrackedPayment copy = p.Clone();
        if (copy.Description.Length > PaymentColumns.DescriptionLength)
        {
            copy.Description = copy.Description[..PaymentColumns.DescriptionLength];
        }

        return copy;
    }

    /// <summary>What a completion writes: the final fields (as the in-memory store's <c>Finalize</c> sets them).</summary>
    private sealed class Completion(PaymentOutcome outcome, DateTimeOffset now)
    {
        private readonly PaymentIntent _payment = outcome.Payment;

        public string Merchant { get; } = outcome.MerchantName ?? string.Empty;

        public string MerchantOrderId => _payment.MerchantOrderId;

        public TrackedPaymentState State { get; } = outcome.Payment.Status == PaymentStatus.Succeeded ? TrackedPaymentState.Succeeded : TrackedPaymentState.Cancelled;

        /// <summary>The gateway's order id, or <see langword="null"/> to keep the one recorded.</summary>
        public string? OrderId => _payment.OrderId.Length > 0 ? _payment.OrderId : null;

        public string RawStatus => _payment.RawStatus;

        public DateTimeOffset? PayTime => _payment.PayTime;

        public PaymentOutcomeSource Source { get; } = outcome.Source;

        public DateTimeOffset Now { get; } = now;

        /// <summary>The row of a payment the store did not track: recorded as it arrives, final.</summary>
        public TrackedPayment FinalRow() => new()
        {
            Merchant = Merchant,
            MerchantOrderId = MerchantOrderId,
            Amount = _payment.Amount,
            CreatedAt = _payment.CreateTime,
            State = State,
            OrderId = OrderId,
            RawStatus = RawStatus,
            PayTime = PayTime,
            HandledAt = Now,
            HandledBy = Source,
            UpdatedAt = Now,
            NextCheckAt = null,
        };
    }
}
