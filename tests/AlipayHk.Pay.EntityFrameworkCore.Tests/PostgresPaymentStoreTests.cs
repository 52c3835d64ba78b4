using System.Data.Common;
using AlipayHk.Pay.EntityFrameworkCore.Tests.Support;
using AlipayHk.Pay.Shared;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace AlipayHk.Pay.EntityFrameworkCore.Tests;

/// <summary>
/// The store's contract on a real PostgreSQL server (one database for this class), with Npgsql's retrying execution
/// strategy on; and what only PostgreSQL shows: a second caller waiting on the row lock, transient failures around the
/// commit, the column types a migration creates.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresPaymentStoreTests(PostgresServer server) : PaymentStoreConformance
{
    private PostgresShopDatabase? _postgres;

    protected override async Task<ShopDatabase> OpenDatabaseAsync() => _postgres = await PostgresShopDatabase.OpenAsync(server, "store_conformance");

    /// <summary>The second caller's transaction started, and the server shows a backend waiting for a lock.</summary>
    protected override async Task WaitUntilWaitingAsync(TransactionSignal second)
    {
        await second.Starting.Task;
        while (await _postgres!.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", Ct) == 0)
        {
            await Task.Yield();
        }
    }

    [Fact]
    public async Task A_transient_failure_before_the_commit_runs_the_unit_again_and_the_outcome_is_booked_once()
    {
        await DatabaseAsync();
        await SeedAsync(Tracked("P-20"));
        await SeedOrderAsync("P-20");
        var fault = new CommitFault(beforeCommit: true);

        Assert.True(await CompleteAsync(Outcome("P-20"), interceptors: [fault]));

        Assert.Equal(1, fault.Thrown);
        Assert.Equal(2, Runs.Count); // the first run was rolled back
        Assert.Equal((true, 1), ((await BooksAsync("P-20")).Order.Paid, (await BooksAsync("P-20")).Ledger));
        Assert.Equal(TrackedPaymentState.Succeeded, (await RowAsync("P-20"))!.State);
    }

    [Fact]
    public async Task A_commit_that_took_effect_but_failed_on_the_way_back_is_found_done_and_not_run_again()
    {
        await DatabaseAsync();
        await SeedAsync(Tracked("P-21"));
        await SeedOrderAsync("P-21");
        var fault = new CommitFault(beforeCommit: false);

        Assert.True(await CompleteAsync(Outcome("P-21"), interceptors: [fault]));

        Assert.Equal(1, fault.Thrown);
        Assert.Equal(1, Runs.Count);
        Assert.Equal((true, 1), ((await BooksAsync("P-21")).Order.Paid, (await BooksAsync("P-21")).Ledger));
    }

    [Fact]
    public async Task The_table_has_the_documented_columns_key_and_indexes()
    {
        await DatabaseAsync();

        string columns = await server.QueryAsync("store_conformance",
            "SELECT string_agg(column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '') || CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END, ', ' ORDER BY column_name) FROM information_schema.columns WHERE table_name = 'alipayhk_payments'");
        string indexes = await server.QueryAsync("store_conformance",
            "SELECT string_agg(indexdef, E'\\n' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'alipayhk_payments'");

        Assert.Equal(
            "amount numeric not null, checks integer not null, created_at timestamp with time zone not null, "
            + "description character varying(256) not null, handled_at timestamp with time zone, handled_by character varying(16), "
            + "merchant character varying(64) not null, merchant_order_id character varying(32) not null, "
            + "next_check_at timestamp with time zone, not_found integer not null, order_id character varying(64), "
            + "pay_time timestamp with time zone, qr_code_url character varying(2048), raw_status character varying(32), "
            + "state character varying(16) not null, updated_at timestamp with time zone not null, wallet character varying(16) not null",
            columns);
        Assert.Equal(
            "CREATE INDEX ix_alipayhk_payments_order_id ON public.alipayhk_payments USING btree (order_id)\n"
            + "CREATE INDEX ix_alipayhk_payments_state_next_check_at ON public.alipayhk_payments USING btree (state, next_check_at)\n"
            + "CREATE UNIQUE INDEX pk_alipayhk_payments ON public.alipayhk_payments USING btree (merchant, merchant_order_id)",
            indexes);
        Assert.Equal("18,2", await server.QueryAsync("store_conformance",
            "SELECT numeric_precision || ',' || numeric_scale FROM information_schema.columns WHERE table_name = 'alipayhk_payments' AND column_name = 'amount'"));
    }

    /// <summary>Throws a transient Npgsql error once, just before the commit or just after it.</summary>
    private sealed class CommitFault(bool beforeCommit) : DbTransactionInterceptor
    {
        public int Thrown { get; private set; }

        public override ValueTask<InterceptionResult> TransactionCommittingAsync(
            DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            if (beforeCommit && Thrown == 0)
            {
                Thrown++;
                throw Transient();
            }

            return base.TransactionCommittingAsync(transaction, eventData, result, cancellationToken);
        }

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            if (!beforeCommit && Thrown == 0)
            {
                Thrown++;
                throw Transient();
            }

            return base.TransactionCommittedAsync(transaction, eventData, cancellationToken);
        }

        private static NpgsqlException Transient() => new("injected: the connection dropped", new TimeoutException());
    }
}
