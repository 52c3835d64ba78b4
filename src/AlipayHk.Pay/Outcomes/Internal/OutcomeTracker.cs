using AlipayHk.Pay.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlipayHk.Pay.Outcomes;

/// <summary>
/// Records what the SDK learns about the payments it creates in the payment store, and runs the outcome handler once per
/// final outcome. Every store call and handler run has a service scope of its own (so the EF Core store and the handler
/// share the app's scoped <c>DbContext</c>). Registered by <c>AddAlipayHkPayOutcomes</c>; without it, nothing is tracked.
/// </summary>
internal sealed class OutcomeTracker(
    IServiceScopeFactory scopes,
    IOptionsMonitor<AlipayHkPayOutcomeOptions> options,
    TimeProvider timeProvider,
    ILogger<OutcomeTracker> logger,
    AlipayHkPayInstruments instruments)
{
    internal AlipayHkPayOutcomeOptions Options => options.CurrentValue;

    internal TimeProvider Time => timeProvider;

    internal ILogger Logger => logger;

    internal AlipayHkPayInstruments Instruments => instruments;

    /// <summary>
    /// Before a create is sent: the payment is recorded as creating (a retry of an unknown outcome with the same merchant
    /// order id makes it creating again), and the record is returned. Returns <see langword="null"/> when the merchant
    /// order id is tracked already as pending or final: the create goes on (the gateway decides), and that record is left
    /// as it is.
    /// </summary>
    internal async Task<TrackedPayment?> BeginCreateAsync(string merchant, CreatePaymentRequest request, CancellationToken cancellationToken)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        TrackedPayment? existing = await FindAsync(merchant, request.MerchantOrderId, cancellationToken).ConfigureAwait(false);
        if (existing is { State: not (TrackedPaymentState.Creating or TrackedPaymentState.NotCreated) })
        {
            return null;
        }

        TrackedPayment payment = existing ?? new TrackedPayment { Merchant = merchant, MerchantOrderId = request.MerchantOrderId, CreatedAt = now };
        payment.Amount = request.Amount;
        payment.Description = request.Description;
        payment.Wallet = request.Wallet;
        payment.State = TrackedPaymentState.Creating;
        payment.NotFound = 0;
        payment.UpdatedAt = now;
        payment.NextCheckAt = now + Options.FirstCheckDelay;
        await SaveAsync(payment, cancellationToken).ConfigureAwait(false);
        return payment;
    }

    /// <summary>
    /// The gateway has the order: pending, with its order id and QR code URL. <paramref name="record"/> is what
    /// <see cref="BeginCreateAsync"/> saved (no second look-up), or <see langword="null"/> to look the payment up.
    /// </summary>
    internal async Task CreatedAsync(string merchant, TrackedPayment? record, PaymentIntent created, CancellationToken cancellationToken)
    {
        TrackedPayment payment = record?.Clone() // a store may have kept the instance it was given
            ?? await FindAsync(merchant, created.MerchantOrderId, cancellationToken).ConfigureAwait(false)
            ?? new TrackedPayment { Merchant = merchant, MerchantOrderId = created.MerchantOrderId, Amount = created.Amount, CreatedAt = timeProvider.GetUtcNow() };
        payment.State = TrackedPaymentState.Pending;
        payment.OrderId = created.OrderId;
        payment.QrCodeUrl = created.NextAction?.Url?.AbsoluteUri ?? payment.QrCodeUrl;
        payment.RawStatus = created.RawStatus;
        payment.UpdatedAt = timeProvider.GetUtcNow();
        await SaveAsync(payment, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The create did not land: marked not created; the handler is never called for it.</summary>
    internal async Task NotCreatedAsync(TrackedPayment payment, CancellationToken cancellationToken)
    {
        payment.State = TrackedPaymentState.NotCreated;
        payment.NextCheckAt = null;
        payment.UpdatedAt = timeProvider.GetUtcNow();
        await SaveAsync(payment, cancellationToken).ConfigureAwait(false);
        instruments.CountOutcome("not_created", PaymentOutcomeSource.Reconciliation, payment.Merchant.Length == 0 ? null : payment.Merchant);
        Log.OutcomeNotCreated(logger, payment.MerchantOrderId);
    }

    /// <summary>
    /// Runs the handler for a confirmed final payment, unless its outcome was handled already (here or on another
    /// instance). Throws what the handler or the store throws: the outcome is then offered again.
    /// </summary>
    internal async Task<bool> CompleteAsync(string? merchantName, PaymentIntent final, PaymentOutcomeSource source, CancellationToken cancellationToken)
    {
        var outcome = new PaymentOutcome(final, merchantName, source);
        try
        {
            AsyncServiceScope scope = scopes.CreateAsyncScope();
            bool handled;
            await using (scope.ConfigureAwait(false))
            {
                IAlipayHkPayPaymentStore store = scope.ServiceProvider.GetRequiredService<IAlipayHkPayPaymentStore>();
                IAlipayHkPayOutcomeHandler handler = scope.ServiceProvider.GetRequiredService<IAlipayHkPayOutcomeHandler>();
                handled = await store.CompleteAsync(outcome, token => handler.HandleAsync(outcome, token), cancellationToken).ConfigureAwait(false);
            }

            instruments.CountOutcome(handled ? "handled" : "duplicate", source, merchantName);
            if (handled)
            {
                Log.OutcomeHandled(logger, final.MerchantOrderId, final.OrderId, final.RawStatus, source);
            }

            return handled;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            instruments.CountOutcome("failed", source, merchantName);
            Log.OutcomeFailed(logger, final.MerchantOrderId, final.OrderId, source, ex);
            throw;
        }
    }

    /// <summary>
    /// <see cref="CompleteAsync"/> for a caller that must not fail because of the handler (a query or a wait: the caller
    /// still gets the payment). A failure is logged; the payment stays open and the reconciler offers it again.
    /// </summary>
    internal async Task CompleteQuietlyAsync(string? merchantName, PaymentIntent final, PaymentOutcomeSource source, CancellationToken cancellationToken)
    {
        try
        {
            await CompleteAsync(merchantName, final, source, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Logged and counted by CompleteAsync; the reconciler offers the outcome again.
        }
    }

    internal async Task<TrackedPayment?> FindAsync(string merchant, string merchantOrderId, CancellationToken cancellationToken)
    {
        AsyncServiceScope scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            return await scope.ServiceProvider.GetRequiredService<IAlipayHkPayPaymentStore>().FindAsync(merchant, merchantOrderId, cancellationToken).ConfigureAwait(false);
        }
    }

    internal async Task SaveAsync(TrackedPayment payment, CancellationToken cancellationToken)
    {
        AsyncServiceScope scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            await scope.ServiceProvider.GetRequiredService<IAlipayHkPayPaymentStore>().SaveAsync(payment, cancellationToken).ConfigureAwait(false);
        }
    }

    internal async Task<IReadOnlyList<TrackedPayment>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        AsyncServiceScope scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            return await scope.ServiceProvider.GetRequiredService<IAlipayHkPayPaymentStore>().ClaimDueAsync(now, leaseUntil, max, cancellationToken).ConfigureAwait(false);
        }
    }
}
