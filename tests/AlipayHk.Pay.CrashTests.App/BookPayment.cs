namespace AlipayHk.Pay.CrashTests.App;

/// <summary>
/// The merchant's outcome handler: one row in the books, written on the same <see cref="ShopDb"/> as the SDK's store,
/// so the row and the payment's final state commit together. It saves the row at once (it is then on the database
/// server, uncommitted, inside the store's transaction) and then lingers a few milliseconds, so that a kill lands
/// inside the handler's run often enough.
/// </summary>
public sealed class BookPayment(ShopDb db, CrashSettings settings) : IAlipayHkPayOutcomeHandler
{
    public async Task HandleAsync(PaymentOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        PaymentIntent payment = outcome.Payment;
        if (settings.WriteMarkers)
        {
            Markers.Write(Markers.Handle, $"{payment.MerchantOrderId} {outcome.Source}");
        }

        db.Books.Add(new BookEntry
        {
            MerchantOrderId = payment.MerchantOrderId,
            OrderId = payment.OrderId,
            Status = payment.RawStatus,
            Amount = payment.Amount,
            Source = outcome.Source.ToString(),
            Instance = settings.Instance,
            Pid = Environment.ProcessId,
        });
        await db.SaveChangesAsync(cancellationToken);
        int linger = Random.Shared.Next(settings.HandlerLingerMs + 1);
        if (linger > 0)
        {
            await Task.Delay(linger, cancellationToken);
        }
    }
}
