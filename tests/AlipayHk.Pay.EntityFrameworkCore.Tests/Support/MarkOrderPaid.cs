using Microsoft.EntityFrameworkCore;

namespace AlipayHk.Pay.EntityFrameworkCore.Tests.Support;

/// <summary>
/// The merchant's outcome handler: marks the order paid and writes a ledger line, on the same ShopDb as the store, without
/// saving (the store saves). <see cref="Then"/> lets a test act after the changes are made: save them itself, throw, or wait.
/// </summary>
public sealed class MarkOrderPaid(ShopDb db, HandlerRuns runs) : IAlipayHkPayOutcomeHandler
{
    public Func<ShopDb, CancellationToken, Task>? Then { get; set; }

    public async Task HandleAsync(PaymentOutcome outcome, CancellationToken cancellationToken)
    {
        runs.Add(outcome);
        Order order = await db.Orders.SingleAsync(o => o.Id == outcome.Payment.MerchantOrderId, cancellationToken);
        if (outcome.Succeeded)
        {
            order.Paid = true;
            order.PaidOrderId = outcome.Payment.OrderId;
        }

        db.Ledger.Add(new LedgerEntry { MerchantOrderId = outcome.Payment.MerchantOrderId, Amount = outcome.Payment.Amount, Status = outcome.Payment.RawStatus });
        if (Then is { } then)
        {
            await then(db, cancellationToken);
        }
    }
}

/// <summary>Every run of the handler (a run whose transaction was rolled back counts too).</summary>
public sealed class HandlerRuns
{
    private readonly List<PaymentOutcome> _runs = [];

    public int Count
    {
        get
        {
            lock (_runs)
            {
                return _runs.Count;
            }
        }
    }

    public IReadOnlyList<PaymentOutcome> All
    {
        get
        {
            lock (_runs)
            {
                return [.. _runs];
            }
        }
    }

    public void Add(PaymentOutcome outcome)
    {
        lock (_runs)
        {
            _runs.Add(outcome);
        }
    }
}
