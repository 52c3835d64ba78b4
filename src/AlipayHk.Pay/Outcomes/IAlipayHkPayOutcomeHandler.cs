namespace AlipayHk.Pay;

/// <summary>
/// Records a payment's final outcome in the merchant's books. Register one with
/// <c>services.AddAlipayHkPayOutcomes&lt;THandler&gt;()</c>: the SDK calls it once per final outcome (succeeded or
/// cancelled) of each payment, whichever way it learned it (a confirmed webhook, a wait or a query that returned the
/// final status, or the reconciler), on whichever instance, across crashes and restarts, as far as the payment store
/// guarantees (see <see cref="IAlipayHkPayPaymentStore"/>).
/// </summary>
/// <remarks>
/// <para>It is resolved in a scope of its own for each outcome, so it can take the app's scoped services, such as its
/// <c>DbContext</c>. With the Entity Framework Core store (<c>AlipayHk.Pay.EntityFrameworkCore</c>) on that same
/// <c>DbContext</c>, what the handler changes there and the store's "handled" record are saved in one transaction: either
/// both, or neither.</para>
/// <para>Throw to leave the outcome unhandled: nothing is recorded, and it is offered again (the webhook is answered 500
/// so the gateway delivers it again; the reconciler tries again later). It is never marked handled by a failed run.</para>
/// </remarks>
public interface IAlipayHkPayOutcomeHandler
{
    /// <summary>Records one final outcome.</summary>
    /// <param name="outcome">The confirmed final payment, its merchant, and how it was learned.</param>
    /// <param name="cancellationToken">Cancels the handling; the outcome is then offered again.</param>
    /// <returns>A task that completes when the outcome is recorded.</returns>
    Task HandleAsync(PaymentOutcome outcome, CancellationToken cancellationToken);
}
