using System.Transactions;
using AlipayHk.Pay.EntityFrameworkCore.Tests.Support;
using AlipayHk.Pay.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AlipayHk.Pay.EntityFrameworkCore.Tests;

/// <summary>
/// What the EF Core payment store promises (IAlipayHkPayPaymentStore's contract), run on each provider: SQLite and
/// PostgreSQL derive from this class. Each store call has a context of its own, as each SDK scope has; concurrency comes
/// from separate contexts (separate connections), as from several requests or instances.
/// </summary>
public abstract class PaymentStoreConformance : IAsyncDisposable
{
    protected static readonly DateTimeOffset T0 = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private ShopDatabase? _database;

    protected FakeTimeProvider Time { get; } = new(T0);

    protected HandlerRuns Runs { get; } = new();

    /// <summary>This test's database: opened (and emptied) at the first use in a test.</summary>
    protected abstract Task<ShopDatabase> OpenDatabaseAsync();

    /// <summary>
    /// Returns once a second caller is waiting for the first one's transaction: its transaction is starting (SQLite: its
    /// BEGIN IMMEDIATE waits for the write lock); PostgreSQL also shows it waiting for the row lock.
    /// </summary>
    protected virtual Task WaitUntilWaitingAsync(TransactionSignal second) => second.Starting.Task;

    public virtual async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    // ---- Save, Find, ListOpen, ClaimDue ----

    [Fact]
    public async Task A_saved_payment_is_found_with_every_field_as_saved()
    {
        await DatabaseAsync();
        var payment = new TrackedPayment
        {
            Merchant = "shop-b",
            MerchantOrderId = "P-1",
            Amount = 1234.56m,
            Description = "Two coffees",
            Wallet = AlipayHkWallet.AlipayCn,
            State = TrackedPaymentState.Pending,
            OrderId = "C991289984923795789123",
            QrCodeUrl = "https://qr.alipay.com/bax01234567890",
            RawStatus = "PENDING",
            PayTime = new DateTimeOffset(2025, 3, 1, 18, 1, 2, 345, TimeSpan.FromHours(8)),
            CreatedAt = T0,
            UpdatedAt = T0.AddSeconds(1),
            HandledAt = null,
            HandledBy = null,
            NextCheckAt = T0.AddMinutes(1),
            Checks = 3,
            NotFound = 1,
        };

        await InScopeAsync(store => store.SaveAsync(payment, Ct));
        TrackedPayment? found = await InScopeAsync(store => store.FindAsync("shop-b", "P-1", Ct));

        Assert.NotNull(found);
        Assert.Equal(
            (payment.Merchant, payment.MerchantOrderId, payment.Amount, payment.Description, payment.Wallet, payment.State, payment.OrderId, payment.QrCodeUrl, payment.RawStatus),
            (found.Merchant, found.MerchantOrderId, found.Amount, found.Description, found.Wallet, found.State, found.OrderId, found.QrCodeUrl, found.RawStatus));
        Assert.Equal((payment.PayTime, payment.CreatedAt, payment.UpdatedAt, payment.NextCheckAt), (found.PayTime, found.CreatedAt, found.UpdatedAt, found.NextCheckAt));
        Assert.Equal(TimeSpan.Zero, found.PayTime!.Value.Offset); // read back in UTC
        Assert.Equal((null, null, 3, 1), (found.HandledAt, found.HandledBy, found.Checks, found.NotFound));
        Assert.Null(await InScopeAsync(store => store.FindAsync(string.Empty, "P-1", Ct))); // the default merchant has no P-1
        Assert.Null(await InScopeAsync(store => store.FindAsync("shop-b", "P-2", Ct)));
    }

    [Fact]
    public async Task Saving_an_open_payment_again_updates_its_one_row()
    {
        await DatabaseAsync();
        TrackedPayment payment = Tracked("P-2", TrackedPaymentState.Creating, nextCheckAt: T0.AddMinutes(1));
        await InScopeAsync(store => store.SaveAsync(payment, Ct));

        payment.State = TrackedPaymentState.Pending;
        payment.OrderId = "C2";
        payment.QrCodeUrl = "https://qr.alipay.com/bax2";
        payment.RawStatus = "PENDING";
        payment.UpdatedAt = T0.AddSeconds(2);
        await InScopeAsync(store => store.SaveAsync(payment, Ct));

        TrackedPayment? found = await RowAsync("P-2");
        Assert.Equal((TrackedPaymentState.Pending, "C2", "https://qr.alipay.com/bax2", T0.AddSeconds(2)), (found!.State, found.OrderId, found.QrCodeUrl, found.UpdatedAt));
        Assert.Equal(1, await CountAsync(db => db.Payments));
    }

    [Fact]
    public async Task A_final_payment_is_never_changed_by_a_save()
    {
        await DatabaseAsync();
        await SeedAsync(Tracked("P-3"));
        await SeedOrderAsync("P-3");
        Assert.True(await CompleteAsync(Outcome("P-3")));

        TrackedPayment stale = Tracked("P-3", nextCheckAt: T0.AddMinutes(5));
        stale.Checks = 9;
        await InScopeAsync(store => store.SaveAsync(stale, Ct));
        await InScopeAsync(store => store.SaveAsync(Tracked("P-3", TrackedPaymentState.Creating), Ct));

        TrackedPayment? found = await RowAsync("P-3");
        Assert.Equal((TrackedPaymentState.Succeeded, "SUCCEEDED", 0, (DateTimeOffset?)null, (DateTimeOffset?)T0), (found!.State, found.RawStatus, found.Checks, found.NextCheckAt, found.HandledAt));
    }

    [Fact]
    public async Task A_description_longer_than_its_column_is_cut_and_the_payment_still_tracked()
    {
        await DatabaseAsync();
        TrackedPayment payment = Tracked("P-4");
        payment.Description = new string('x', 300);

        await InScopeAsync(store => store.SaveAsync(payment, Ct));

        Assert.Equal(new string('x', 256), (await RowAsync("P-4"))!.Description);
    }

    [Fact]
    public async Task ListOpen_lists_creating_pending_and_expired_payments_oldest_first()
    {
        await DatabaseAsync();
        await SeedAsync(
            Tracked("pending", TrackedPaymentState.Pending, createdAt: T0.AddMinutes(3)),
            Tracked("creating", TrackedPaymentState.Creating, createdAt: T0.AddMinutes(1)),
            Tracked("expired", TrackedPaymentState.Expired, createdAt: T0.AddMinutes(2)),
            Tracked("succeeded", TrackedPaymentState.Succeeded, createdAt: T0),
            Tracked("cancelled", TrackedPaymentState.Cancelled, createdAt: T0),
            Tracked("not-created", TrackedPaymentState.NotCreated, createdAt: T0));

        IReadOnlyList<TrackedPayment> all = await InScopeAsync(store => store.ListOpenAsync(10, Ct));
        IReadOnlyList<TrackedPayment> two = await InScopeAsync(store => store.ListOpenAsync(2, Ct));

        Assert.Equal(["creating", "expired", "pending"], all.Select(p => p.MerchantOrderId));
        Assert.Equal(["creating", "expired"], two.Select(p => p.MerchantOrderId));
        Assert.Empty(await InScopeAsync(store => store.ListOpenAsync(0, Ct)));
    }

    [Fact]
    public async Task ClaimDue_hands_out_due_creating_and_pending_payments_longest_due_first_and_leases_them()
    {
        await DatabaseAsync();
        DateTimeOffset now = T0.AddMinutes(10);
        DateTimeOffset lease = now.AddSeconds(30);
        await SeedAsync(
            Tracked("due-first", TrackedPaymentState.Pending, createdAt: T0, nextCheckAt: now.AddMinutes(-5)),
            Tracked("due-creating", TrackedPaymentState.Creating, createdAt: T0.AddMinutes(1), nextCheckAt: now.AddMinutes(-1)),
            Tracked("due-now", TrackedPaymentState.Pending, createdAt: T0.AddMinutes(2), nextCheckAt: now),
            Tracked("due-soon", TrackedPaymentState.Pending, createdAt: T0, nextCheckAt: now.AddSeconds(1)),
            Tracked("final", TrackedPaymentState.Succeeded, nextCheckAt: now.AddMinutes(-10)),
            Tracked("not-created", TrackedPaymentState.NotCreated, nextCheckAt: now.AddMinutes(-10)),
            Tracked("expired", TrackedPaymentState.Expired, nextCheckAt: now.AddMinutes(-10)),
            Tracked("unscheduled", TrackedPaymentState.Pending, nextCheckAt: null));

        IReadOnlyList<TrackedPayment> first = await InScopeAsync(store => store.ClaimDueAsync(now, lease, 2, Ct));
        TrackedPayment? leased = await RowAsync("due-first");
        IReadOnlyList<TrackedPayment> second = await InScopeAsync(store => store.ClaimDueAsync(now, lease, 10, Ct));
        IReadOnlyList<TrackedPayment> third = await InScopeAsync(store => store.ClaimDueAsync(now, lease, 10, Ct));
        IReadOnlyList<TrackedPayment> afterLease = await InScopeAsync(store => store.ClaimDueAsync(lease, lease.AddSeconds(30), 10, Ct));

        Assert.Equal(["due-first", "due-creating"], first.Select(p => p.MerchantOrderId));
        Assert.All(first, p => Assert.Equal(lease, p.NextCheckAt));
        Assert.Equal(lease, leased!.NextCheckAt);
        Assert.Equal(["due-now"], second.Select(p => p.MerchantOrderId));
        Assert.Empty(third);
        Assert.Equal(["due-soon", "due-first", "due-creating", "due-now"], afterLease.Select(p => p.MerchantOrderId));
        Assert.Equal(now.AddMinutes(-10), (await RowAsync("final"))!.NextCheckAt); // untouched
    }

    [Fact]
    public async Task Instances_claiming_at_once_never_get_the_same_payment_within_a_lease()
    {
        await DatabaseAsync();
        DateTimeOffset now = T0.AddMinutes(10);
        DateTimeOffset lease = now.AddSeconds(30);
        await SeedAsync([.. Enumerable.Range(0, 40).Select(i => Tracked($"due-{i:00}", nextCheckAt: now.AddSeconds(-i)))]);

        var claimedBy = new Dictionary<string, int>();
        for (int round = 0; round < 40; round++)
        {
            IReadOnlyList<TrackedPayment>[] claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => InScopeAsync(store => store.ClaimDueAsync(now, lease, 15, Ct))));
            if (claims.All(c => c.Count == 0))
            {
                break;
            }

            for (int instance = 0; instance < claims.Length; instance++)
            {
                foreach (TrackedPayment payment in claims[instance])
                {
                    Assert.True(claimedBy.TryAdd(payment.MerchantOrderId, instance), $"{payment.MerchantOrderId} was handed out twice");
                }
            }
        }

        Assert.Equal(40, claimedBy.Count);
        Assert.Equal(40, await CountAsync(db => db.Payments.Where(p => p.NextCheckAt == lease)));
    }

    // ---- CompleteAsync: once, in one transaction with the handler's changes ----

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Complete_runs_the_handler_once_and_saves_its_changes_with_the_final_state(bool handlerSavesItself)
    {
        await DatabaseAsync();
        await SeedAsync(Tracked("P-5"));
        await SeedOrderAsync("P-5");
        Time.Advance(TimeSpan.FromMinutes(2));

        bool handled = await CompleteAsync(Outcome("P-5"), handlerSavesItself ? (db, ct) => db.SaveChangesAsync(ct) : null);
        bool again = await CompleteAsync(Outcome("P-5", source: PaymentOutcomeSource.Query));

        Assert.True(handled);
        Assert.False(again);
        Assert.Equal(1, Runs.Count);
        (Order order, int ledger) = await BooksAsync("P-5");
        Assert.Equal((true, "CP-5", 1), (order.Paid, order.PaidOrderId, ledger));
        TrackedPayment? row = await RowAsync("P-5");
        Assert.Equal(
            (TrackedPaymentState.Succeeded, "CP-5", "SUCCEEDED", (DateTimeOffset?)PayTime, (DateTimeOffset?)T0.AddMinutes(2), (PaymentOutcomeSource?)PaymentOutcomeSource.Webhook, (DateTimeOffset?)null),
            (row!.State, row.OrderId, row.RawStatus, row.PayTime, row.HandledAt, row.HandledBy, row.NextCheckAt));
        Assert.Equal((T0.AddMinutes(2), "Two coffees"), (row.UpdatedAt, row.Description));
    }

    [Fact]
    public async Task A_cancelled_outcome_is_recorded_final_and_the_order_stays_unpaid()
    {
        await DatabaseAsync();
        await SeedAsync(Tracked("P-6"));
        await SeedOrderAsync("P-6");

        Assert.True(await CompleteAsync(Outcome("P-6", PaymentStatus.Cancelled, PaymentOutcomeSource.Reconciliation)));

        (Order order, int ledger) = await BooksAsync("P-6");
        Assert.Equal((false, 1), (order.Paid, ledger));
        TrackedPayment? row = await RowAsync("P-6");
        Assert.Equal((TrackedPaymentState.Cancelled, "CANCELLED", (PaymentOutcomeSource?)PaymentOutcomeSource.Reconciliation), (row!.State, row.RawStatus, row.HandledBy));
    }

    [Fact]
    public async Task A_payment_created_elsewhere_is_recorded_as_final_with_the_handlers_change()
    {
        await DatabaseAsync();
        await SeedOrderAsync("P-7");

        bool handled = await CompleteAsync(Outcome("P-7", merchant: "shop-b"));
        bool again = await CompleteAsync(Outcome("P-7", merchant: "shop-b"));

        Assert.True(handled);
        Assert.False(again);
        Assert.Equal((true, 1), ((await BooksAsync("P-7")).Order.Paid, (await BooksAsync("P-7")).Ledger));
        TrackedPayment? row = await RowAsync("P-7", "shop-b");
        Assert.Equal(
            (TrackedPaymentState.Succeeded, 12.50m, T0.AddMinutes(-1), "CP-7", (DateTimeOffset?)T0, (DateTimeOffset?)null),
            (row!.State, row.Amount, row.CreatedAt, row.OrderId, row.HandledAt, row.NextCheckAt));
        Assert.Null(await RowAsync("P-7")); // the default merchant's P-7 is another payment
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task When_the_handler_throws_nothing_is_recorded_and_the_next_completion_handles_the_outcome(bool handlerSavedFirst, bool createdElsewhere)
    {
        ShopDatabase database = await DatabaseAsync();
        if (!createdElsewhere)
        {
            await SeedAsync(Tracked("P-8"));
        }

        await SeedOrderAsync("P-8");
        ShopDb failing = database.NewContext();
        await using (failing)
        {
            var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => CompleteAsync(Outcome("P-8"), async (db, ct) =>
            {
                if (handlerSavedFirst)
                {
                    await db.SaveChangesAsync(ct);
                }

                throw new InvalidOperationException("the ledger service is down");
            }, on: failing));

            Assert.Equal("the ledger service is down", thrown.Message);
            Assert.Empty(failing.ChangeTracker.Entries()); // nothing half-made left to be saved by a later call
        }

        (Order order, int ledger) = await BooksAsync("P-8");
        Assert.Equal((false, 0), (order.Paid, ledger));
        Assert.Equal(createdElsewhere ? null : TrackedPaymentState.Pending, (await RowAsync("P-8"))?.State);

        Assert.True(await CompleteAsync(Outcome("P-8")));
        Assert.Equal((true, 1), ((await BooksAsync("P-8")).Order.Paid, (await BooksAsync("P-8")).Ledger));
        Assert.Equal(TrackedPaymentState.Succeeded, (await RowAsync("P-8"))!.State);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Twenty_concurrent_completions_on_separate_contexts_run_the_handler_once(bool createdElsewhere)
    {
        await DatabaseAsync();
        if (!createdElsewhere)
        {
            await SeedAsync(Tracked("P-9"));
        }

        await SeedOrderAsync("P-9");
        PaymentOutcomeSource[] sources = [PaymentOutcomeSource.Webhook, PaymentOutcomeSource.Wait, PaymentOutcomeSource.Query, PaymentOutcomeSource.Reconciliation];

        bool[] results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => CompleteAsync(Outcome("P-9", source: sources[i % 4])))));

        Assert.Single(results, handled => handled);
        Assert.Equal(1, Runs.Count);
        Assert.Equal((true, 1), ((await BooksAsync("P-9")).Order.Paid, (await BooksAsync("P-9")).Ledger));
        Assert.Equal(1, await CountAsync(db => db.Payments));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_second_completion_waits_for_the_first_then_finds_it_handled_or_handles_it_when_the_first_failed(bool firstFails)
    {
        ShopDatabase database = await DatabaseAsync();
        await SeedAsync(Tracked("P-10"));
        await SeedOrderAsync("P-10");
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<bool> first = Task.Run(() => CompleteAsync(Outcome("P-10"), async (db, ct) =>
        {
            await db.SaveChangesAsync(ct); // the order row is written (and locked) too
            inHandler.SetResult();
            await release.Task.WaitAsync(ct);
            if (firstFails)
            {
                throw new InvalidOperationException("the first handler failed");
            }
        }));
        await inHandler.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var signal = new TransactionSignal();
        Task<bool> second = Task.Run(() => CompleteAsync(Outcome("P-10", source: PaymentOutcomeSource.Wait), interceptors: [signal]));
        await WaitUntilWaitingAsync(signal).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        bool secondDoneEarly = second.IsCompleted;
        release.SetResult();

        Assert.False(secondDoneEarly);
        if (firstFails)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => first);
            Assert.True(await second);
            Assert.Equal(PaymentOutcomeSource.Wait, (await RowAsync("P-10"))!.HandledBy);
        }
        else
        {
            Assert.True(await first);
            Assert.False(await second);
            Assert.Equal(PaymentOutcomeSource.Webhook, (await RowAsync("P-10"))!.HandledBy);
        }

        Assert.Equal(firstFails ? 2 : 1, Runs.Count);
        Assert.Equal((true, 1), ((await BooksAsync("P-10")).Order.Paid, (await BooksAsync("P-10")).Ledger));
    }

    [Fact]
    public async Task A_context_that_already_has_a_transaction_is_refused_and_nothing_is_run()
    {
        ShopDatabase database = await DatabaseAsync();
        await SeedAsync(Tracked("P-11"));
        await SeedOrderAsync("P-11");
        ShopDb db = database.NewContext();
        await using (db)
        {
            await using (await db.Database.BeginTransactionAsync(Ct))
            {
                var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => CompleteAsync(Outcome("P-11"), on: db));
                Assert.Contains("already has a transaction", refused.Message, StringComparison.Ordinal);
            }
        }

        Assert.Equal(0, Runs.Count);
        Assert.Equal(TrackedPaymentState.Pending, (await RowAsync("P-11"))!.State);
    }

    [Fact]
    public async Task An_ambient_TransactionScope_rolled_back_by_the_app_does_not_take_the_outcome_with_it()
    {
        await DatabaseAsync();
        await SeedAsync(Tracked("P-12"));
        await SeedOrderAsync("P-12");

        using (new TransactionScope(TransactionScopeAsyncFlowOption.Enabled))
        {
            Assert.True(await CompleteAsync(Outcome("P-12")));
            Assert.Equal(TrackedPaymentState.Succeeded, (await InScopeAsync(store => store.FindAsync(string.Empty, "P-12", Ct)))!.State);
        } // not completed: the app's own transaction rolls back

        Assert.Equal((true, 1), ((await BooksAsync("P-12")).Order.Paid, (await BooksAsync("P-12")).Ledger));
        Assert.Equal(TrackedPaymentState.Succeeded, (await RowAsync("P-12"))!.State);
    }

    // ---- The SDK end to end, with the store on this database ----

    [Fact]
    public async Task With_the_sdk_a_payment_is_pending_in_the_database_then_its_order_paid_once_when_the_shopper_pays()
    {
        ShopDatabase database = await DatabaseAsync();
        await SeedOrderAsync("E2E-1");
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: Ct);
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(Runs);
        services.AddDbContext<ShopDb>(database.Configure);
        services.AddAlipayHkPay(options =>
        {
            simulator.ConfigureClient(options);
            options.PollInitialDelay = TimeSpan.FromMilliseconds(20);
            options.PollMaxDelay = TimeSpan.FromMilliseconds(100);
        });
        services.AddAlipayHkPayOutcomes<MarkOrderPaid>();
        services.AddAlipayHkPayEntityFrameworkCore<ShopDb>();
        await using ServiceProvider app = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        IAlipayHkPayClient client = app.GetRequiredService<IAlipayHkPayClient>();

        PaymentIntent created = await client.CreatePaymentAsync(
            new CreatePaymentRequest { Amount = 12.50m, MerchantOrderId = "E2E-1", Description = "Two coffees", Wallet = AlipayHkWallet.AlipayHk }, Ct);
        TrackedPayment? pending = await RowAsync("E2E-1");
        await simulator.CompletePaymentAsync(created.OrderId, Ct);
        PaymentIntent paid = await client.WaitForCompletionAsync(PaymentReference.ByOrderId(created.OrderId), TimeSpan.FromSeconds(30), Ct);
        (Order order, int ledger) = await BooksAsync("E2E-1");
        PaymentIntent queried = await client.GetPaymentAsync(PaymentReference.ByMerchantOrderId("E2E-1"), Ct);

        Assert.Equal((TrackedPaymentState.Pending, created.OrderId, created.NextAction!.Url!.AbsoluteUri, 12.50m), (pending!.State, pending.OrderId, pending.QrCodeUrl, pending.Amount));
        Assert.Equal((PaymentStatus.Succeeded, PaymentStatus.Succeeded), (paid.Status, queried.Status));
        Assert.Equal((true, created.OrderId, 1), (order.Paid, order.PaidOrderId, ledger)); // paid when the wait returned
        Assert.Equal(1, Runs.Count);
        Assert.Equal(1, (await BooksAsync("E2E-1")).Ledger);
        TrackedPayment? row = await RowAsync("E2E-1");
        Assert.Equal((TrackedPaymentState.Succeeded, (PaymentOutcomeSource?)PaymentOutcomeSource.Wait), (row!.State, row.HandledBy));
    }

    // ---- Helpers ----

    protected static DateTimeOffset PayTime { get; } = new(2025, 3, 1, 18, 1, 0, TimeSpan.FromHours(8));

    protected async Task<ShopDatabase> DatabaseAsync()
    {
        if (_database is null)
        {
            _database = await OpenDatabaseAsync();
            await _database.ResetAsync(Ct);
        }

        return _database;
    }

    /// <summary>A payment as the SDK tracks it (pending, created at <see cref="T0"/>, unless told otherwise).</summary>
    protected static TrackedPayment Tracked(
        string merchantOrderId, TrackedPaymentState state = TrackedPaymentState.Pending, DateTimeOffset? createdAt = null, DateTimeOffset? nextCheckAt = null, string merchant = "") => new()
    {
        Merchant = merchant,
        MerchantOrderId = merchantOrderId,
        Amount = 12.50m,
        Description = "Two coffees",
        Wallet = AlipayHkWallet.AlipayHk,
        State = state,
        OrderId = state == TrackedPaymentState.Creating ? null : "C" + merchantOrderId,
        RawStatus = state == TrackedPaymentState.Creating ? null : "PENDING",
        CreatedAt = createdAt ?? T0,
        UpdatedAt = createdAt ?? T0,
        NextCheckAt = nextCheckAt,
    };

    /// <summary>A confirmed final outcome of the payment (order id "C" + its merchant order id).</summary>
    protected static PaymentOutcome Outcome(
        string merchantOrderId, PaymentStatus status = PaymentStatus.Succeeded, PaymentOutcomeSource source = PaymentOutcomeSource.Webhook, string? merchant = null) => new(
        new PaymentIntent
        {
            OrderId = "C" + merchantOrderId,
            MerchantOrderId = merchantOrderId,
            Amount = 12.50m,
            Currency = "HKD",
            Status = status,
            RawStatus = status == PaymentStatus.Succeeded ? "SUCCEEDED" : "CANCELLED",
            CreateTime = T0.AddMinutes(-1),
            PayTime = status == PaymentStatus.Succeeded ? PayTime : null,
        },
        merchant,
        source);

    /// <summary>A store on a context of its own, as the SDK gives each call a scope of its own.</summary>
    protected async Task<T> InScopeAsync<T>(Func<IAlipayHkPayPaymentStore, Task<T>> call)
    {
        await using ShopDb db = (await DatabaseAsync()).NewContext();
        return await call(new EfCorePaymentStore<ShopDb>(db, Time));
    }

    protected async Task InScopeAsync(Func<IAlipayHkPayPaymentStore, Task> call)
    {
        await using ShopDb db = (await DatabaseAsync()).NewContext();
        await call(new EfCorePaymentStore<ShopDb>(db, Time));
    }

    /// <summary>Completes as the SDK does: the store and the handler on one context; a context of its own unless <paramref name="on"/>.</summary>
    protected async Task<bool> CompleteAsync(
        PaymentOutcome outcome, Func<ShopDb, CancellationToken, Task>? then = null, ShopDb? on = null, IInterceptor[]? interceptors = null)
    {
        ShopDb db = on ?? (await DatabaseAsync()).NewContext(interceptors ?? []);
        try
        {
            var store = new EfCorePaymentStore<ShopDb>(db, Time);
            var handler = new MarkOrderPaid(db, Runs) { Then = then };
            return await store.CompleteAsync(outcome, ct => handler.HandleAsync(outcome, ct), Ct);
        }
        finally
        {
            if (on is null)
            {
                await db.DisposeAsync();
            }
        }
    }

    protected async Task SeedAsync(params TrackedPayment[] payments)
    {
        await using ShopDb db = (await DatabaseAsync()).NewContext();
        db.Payments.AddRange(payments);
        await db.SaveChangesAsync(Ct);
    }

    protected async Task SeedOrderAsync(string id)
    {
        await using ShopDb db = (await DatabaseAsync()).NewContext();
        db.Orders.Add(new Order { Id = id, Amount = 12.50m });
        await db.SaveChangesAsync(Ct);
    }

    protected async Task<TrackedPayment?> RowAsync(string merchantOrderId, string merchant = "")
    {
        await using ShopDb db = (await DatabaseAsync()).NewContext();
        return await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.Merchant == merchant && p.MerchantOrderId == merchantOrderId, Ct);
    }

    /// <summary>The shop's books for an order: the order, and how many ledger lines it has.</summary>
    protected async Task<(Order Order, int Ledger)> BooksAsync(string id)
    {
        await using ShopDb db = (await DatabaseAsync()).NewContext();
        Order order = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == id, Ct);
        return (order, await db.Ledger.CountAsync(e => e.MerchantOrderId == id, Ct));
    }

    protected async Task<int> CountAsync<T>(Func<ShopDb, IQueryable<T>> query)
    {
        await using ShopDb db = (await DatabaseAsync()).NewContext();
        return await query(db).CountAsync(Ct);
    }
}
