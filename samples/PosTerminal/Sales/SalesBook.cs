using AlipayHk.Pay;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace PosTerminal.Sales;

/// <summary>The terminal's side of the book: each sale is written when it starts, and marked reported once shown.</summary>
internal sealed class SalesBook(IServiceScopeFactory scopes, TimeProvider wallClock)
{
    /// <summary>Writes the sale before its create is sent (the SDK records its payment then too); a sale already in the book is kept.</summary>
    public async Task BeginAsync(CreatePaymentRequest request, CancellationToken cancellationToken)
    {
        await using AsyncServiceScope scope = scopes.CreateAsyncScope();
        SalesDb db = scope.ServiceProvider.GetRequiredService<SalesDb>();
        if (await db.Sales.FindAsync([request.MerchantOrderId], cancellationToken) is null)
        {
            db.Sales.Add(new Sale
            {
                MerchantOrderId = request.MerchantOrderId,
                Description = request.Description,
                Amount = request.Amount,
                Wallet = request.Wallet,
                StartedAt = wallClock.GetUtcNow(),
            });
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Marks the sale's receipt (or its cancellation) shown, so that no later start shows it again. Should the terminal
    /// be killed between the receipt and this, the next start prints it once more, marked recovered: a receipt is never lost.
    /// </summary>
    public async Task MarkReportedAsync(string merchantOrderId, CancellationToken cancellationToken)
    {
        DateTimeOffset now = wallClock.GetUtcNow();
        await using AsyncServiceScope scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SalesDb>().Sales
            .Where(s => s.MerchantOrderId == merchantOrderId && s.ReportedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(sale => sale.ReportedAt, (DateTimeOffset?)now), cancellationToken);
    }

    /// <summary>The sales whose outcome is booked but not shown yet, oldest first.</summary>
    public async Task<IReadOnlyList<Sale>> UnreportedAsync(CancellationToken cancellationToken)
    {
        await using AsyncServiceScope scope = scopes.CreateAsyncScope();
        List<Sale> sales = await scope.ServiceProvider.GetRequiredService<SalesDb>().Sales.AsNoTracking()
            .Where(s => s.Outcome != null && s.ReportedAt == null)
            .ToListAsync(cancellationToken);
        return [.. sales.OrderBy(s => s.StartedAt)]; // SQLite cannot order by a time with an offset: in memory, a handful of rows.
    }

    /// <summary>The sale, as booked.</summary>
    public async Task<Sale?> FindAsync(string merchantOrderId, CancellationToken cancellationToken)
    {
        await using AsyncServiceScope scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SalesDb>().Sales.AsNoTracking()
            .FirstOrDefaultAsync(s => s.MerchantOrderId == merchantOrderId, cancellationToken);
    }
}
