using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AlipayHk.Pay.CrashTests.Support;

/// <summary>
/// Counts what a DbContext sends its database: statements (each a round trip; a SaveChanges batch is one) and
/// transactions (begun, committed, rolled back). Npgsql sends a BEGIN with the transaction's first statement, so on
/// PostgreSQL a transaction adds one round trip, its COMMIT; on SQLite (in process) BEGIN and COMMIT are calls of their own.
/// </summary>
internal sealed class RoundTrips
{
    private int _statements;
    private int _begun;
    private int _committed;
    private int _rolledBack;

    internal (int Statements, int Begun, int Committed, int RolledBack) Snapshot =>
        (Volatile.Read(ref _statements), Volatile.Read(ref _begun), Volatile.Read(ref _committed), Volatile.Read(ref _rolledBack));

    internal IInterceptor[] Interceptors => [new Commands(this), new Transactions(this)];

    internal void Reset()
    {
        Interlocked.Exchange(ref _statements, 0);
        Interlocked.Exchange(ref _begun, 0);
        Interlocked.Exchange(ref _committed, 0);
        Interlocked.Exchange(ref _rolledBack, 0);
    }

    private sealed class Commands(RoundTrips counts) : DbCommandInterceptor
    {
        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
            Count(result);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Count(result));

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
            Count(result);

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Count(result));

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
            Count(result);

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Count(result));

        private T Count<T>(T result)
        {
            Interlocked.Increment(ref counts._statements);
            return result;
        }
    }

    private sealed class Transactions(RoundTrips counts) : DbTransactionInterceptor
    {
        public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref counts._begun);
            return ValueTask.FromResult(result);
        }

        public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
        {
            Interlocked.Increment(ref counts._begun);
            return result;
        }

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref counts._committed);
            return Task.CompletedTask;
        }

        public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Interlocked.Increment(ref counts._committed);

        public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref counts._rolledBack);
            return Task.CompletedTask;
        }

        public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Interlocked.Increment(ref counts._rolledBack);
    }
}
