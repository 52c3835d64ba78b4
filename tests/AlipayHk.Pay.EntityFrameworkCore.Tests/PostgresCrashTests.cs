using AlipayHk.Pay.EntityFrameworkCore.Tests.Support;
using AlipayHk.Pay.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace AlipayHk.Pay.EntityFrameworkCore.Tests;

/// <summary>
/// Exactly once under a crash, at the database level: the store's transaction has made the payment final and the
/// handler's changes are on the server, uncommitted, when PostgreSQL is killed with SIGKILL. After the restart neither is
/// there, and the outcome, offered again, is handled once.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCrashTests(PostgresServer server)
{
    [Fact]
    public async Task A_crash_before_the_commit_leaves_neither_the_handlers_change_nor_the_final_state_and_the_outcome_is_handled_once_after()
    {
        // No retrying strategy here: the app's process is taken to die with the server (a retry would finish it later on its own).
        PostgresShopDatabase database = await PostgresShopDatabase.OpenAsync(server, "store_crash", retryOnFailure: false);
        await database.ResetAsync(Ct);
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero));
        var runs = new HandlerRuns();
        await using (ShopDb seed = database.NewContext())
        {
            seed.Orders.Add(new Order { Id = "CRASH-1", Amount = 12.50m });
            seed.Payments.Add(new TrackedPayment { MerchantOrderId = "CRASH-1", Amount = 12.50m, Description = "Two coffees", State = TrackedPaymentState.Pending, OrderId = "C1", CreatedAt = time.GetUtcNow(), UpdatedAt = time.GetUtcNow() });
            await seed.SaveChangesAsync(Ct);
        }

        PaymentOutcome outcome = new(
            new PaymentIntent { OrderId = "C1", MerchantOrderId = "CRASH-1", Amount = 12.50m, Currency = "HKD", Status = PaymentStatus.Succeeded, RawStatus = "SUCCEEDED", CreateTime = time.GetUtcNow() },
            null,
            PaymentOutcomeSource.Webhook);
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ShopDb crashing = database.NewContext();
        Task<bool> crashed = Task.Run(() => CompleteAsync(crashing, time, runs, outcome, async (db, ct) =>
        {
            await db.SaveChangesAsync(ct); // the handler's change is on the server, in the store's transaction
            inHandler.SetResult();
            await never.Task.WaitAsync(ct);
        }));
        await inHandler.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        string uncommitted = await server.QueryAsync("store_crash", "SELECT (SELECT paid FROM orders WHERE id = 'CRASH-1') || ' ' || (SELECT state FROM alipayhk_payments WHERE merchant_order_id = 'CRASH-1') || ' ' || (SELECT count(*) FROM pg_locks WHERE mode = 'RowExclusiveLock' AND granted)::int::bool");

        await server.KillAsync();
        try
        {
            never.SetResult(); // the handler returns; the commit has no server to go to
            await Assert.ThrowsAnyAsync<Exception>(() => crashed);
            await crashing.DisposeAsync();
        }
        finally
        {
            await server.StartAsync(); // whatever happened, the other tests of the collection get their server back
            NpgsqlConnection.ClearAllPools();
        }

        Assert.Equal("false Pending true", uncommitted); // before the kill: written, not committed, locked
        await using (ShopDb after = database.NewContext())
        {
            Assert.False((await after.Orders.SingleAsync(o => o.Id == "CRASH-1", Ct)).Paid);
            Assert.Equal(0, await after.Ledger.CountAsync(Ct));
            Assert.Equal(TrackedPaymentState.Pending, (await after.Payments.SingleAsync(Ct)).State);
        }

        await using (ShopDb again = database.NewContext())
        {
            Assert.True(await CompleteAsync(again, time, runs, outcome, then: null));
        }

        await using (ShopDb once = database.NewContext())
        {
            Assert.False(await CompleteAsync(once, time, runs, outcome, then: null));
            Assert.True((await once.Orders.SingleAsync(o => o.Id == "CRASH-1", Ct)).Paid);
            Assert.Equal(1, await once.Ledger.CountAsync(Ct));
            Assert.Equal(TrackedPaymentState.Succeeded, (await once.Payments.AsNoTracking().SingleAsync(Ct)).State);
        }

        Assert.Equal(2, runs.Count); // the crashed run, and the one that counted
    }

    private static Task<bool> CompleteAsync(ShopDb db, TimeProvider time, HandlerRuns runs, PaymentOutcome outcome, Func<ShopDb, CancellationToken, Task>? then)
    {
        var store = new EfCorePaymentStore<ShopDb>(db, time);
        var handler = new MarkOrderPaid(db, runs) { Then = then };
        return store.CompleteAsync(outcome, ct => handler.HandleAsync(outcome, ct), Ct);
    }
}
