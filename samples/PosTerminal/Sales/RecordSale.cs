using AlipayHk.Pay;

namespace PosTerminal.Sales;

/// <summary>
/// The terminal's outcome handler (<c>AddAlipayHkPayOutcomes&lt;RecordSale&gt;()</c>): the SDK calls it once per final
/// outcome, whichever way it learned it (the webhook, the terminal's wait, a query at start-up, the reconciler), in a
/// scope whose <see cref="SalesDb"/> is the payment store's. What it changes on the sale is saved with the payment's final
/// state, in one transaction: a terminal killed before the commit finds the payment still open at its next start, and
/// the outcome comes again; after it, the sale has its outcome, and its receipt is printed once.
/// </summary>
internal sealed class RecordSale(SalesDb db, TimeProvider time) : IAlipayHkPayOutcomeHandler
{
    public async Task HandleAsync(PaymentOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        PaymentIntent payment = outcome.Payment;
        Sale? sale = await db.Sales.FindAsync([payment.MerchantOrderId], cancellationToken);
        if (sale is null)
        {
            // A payment this terminal did not start (another app of the same merchant, say): booked all the same.
            sale = new Sale { MerchantOrderId = payment.MerchantOrderId, Description = "(not sold here)", Amount = payment.Amount, StartedAt = payment.CreateTime };
            db.Sales.Add(sale);
        }

        sale.OrderId = payment.OrderId;
        sale.Outcome = outcome.Succeeded ? SaleOutcome.Paid : SaleOutcome.Cancelled;
        sale.Currency = payment.Currency;
        sale.PaidAt = payment.PayTime;
        sale.RequestId = payment.RequestId;
        sale.LearnedBy = outcome.Source;
        sale.RecordedAt = time.GetUtcNow();
        // No SaveChanges: the payment store saves it together with the payment's final state.
    }
}
