namespace AlipayHk.Pay;

/// <summary>
/// Where the SDK tracks the payments it creates, and the one place that decides who handles a final outcome. Resolved
/// from the scope the outcome handler runs in, so an implementation can share the handler's unit of work. The default
/// keeps payments in memory (exactly once within one process; a restart forgets). <c>AlipayHk.Pay.EntityFrameworkCore</c>
/// keeps them in the app's own database, in the same transaction as the handler's changes.
/// </summary>
/// <remarks>Keys are the merchant (<see cref="TrackedPayment.Merchant"/>: empty for the default one) and the merchant order id. Implementations must be safe to call from many threads and instances.</remarks>
public interface IAlipayHkPayPaymentStore
{
    /// <summary>The payment with this merchant order id, or <see langword="null"/> when it is not tracked.</summary>
    /// <param name="merchant">The merchant's name: empty for the default merchant.</param>
    /// <param name="merchantOrderId">The merchant's order id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The payment, or <see langword="null"/>.</returns>
    Task<TrackedPayment?> FindAsync(string merchant, string merchantOrderId, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts the payment, or updates its tracking fields (state, order id, QR code URL, status, schedule). A final
    /// record (<see cref="TrackedPaymentState.Succeeded"/> or <see cref="TrackedPaymentState.Cancelled"/>) is never changed.
    /// </summary>
    /// <param name="payment">The payment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the record is saved.</returns>
    Task SaveAsync(TrackedPayment payment, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the payment final and runs <paramref name="handler"/>, as one step: a conditional update (or, for a payment
    /// the store does not track, a unique insert) decides which caller handles the outcome; every other caller, on any
    /// instance, gets <see langword="false"/>. When <paramref name="handler"/> throws, nothing is recorded, the
    /// exception propagates, and a later call handles the outcome.
    /// </summary>
    /// <param name="outcome">The confirmed final outcome.</param>
    /// <param name="handler">Records the outcome in the merchant's books.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when this call ran the handler; <see langword="false"/> when the outcome was handled already.</returns>
    Task<bool> CompleteAsync(PaymentOutcome outcome, Func<CancellationToken, Task> handler, CancellationToken cancellationToken);

    /// <summary>The payments still open (<see cref="TrackedPayment.IsOpen"/>), oldest first, at most <paramref name="max"/>.</summary>
    /// <param name="max">The most to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The open payments.</returns>
    Task<IReadOnlyList<TrackedPayment>> ListOpenAsync(int max, CancellationToken cancellationToken);

    /// <summary>
    /// Hands out open payments (creating or pending) whose <see cref="TrackedPayment.NextCheckAt"/> is due at
    /// <paramref name="now"/>, setting it to <paramref name="leaseUntil"/> so that no other caller gets them before then.
    /// </summary>
    /// <param name="now">The time now, UTC.</param>
    /// <param name="leaseUntil">When the payments handed out may be handed out again, if the caller saves nothing.</param>
    /// <param name="max">The most to hand out.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The payments to look at now, the longest due first.</returns>
    Task<IReadOnlyList<TrackedPayment>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken);
}
