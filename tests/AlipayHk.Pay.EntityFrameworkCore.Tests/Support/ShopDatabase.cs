using System.Collections.Concurrent;
using System.Data.Common;
using AlipayHk.Pay.Shared;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace AlipayHk.Pay.EntityFrameworkCore.Tests.Support;

/// <summary>The shop's database on one provider: contexts on it, its schema (EnsureCreated), and emptied between tests.</summary>
public abstract class ShopDatabase : IAsyncDisposable
{
    private DbContextOptions<ShopDb>? _options;

    /// <summary>Configures a context for this database, as the app's <c>AddDbContext</c> would.</summary>
    public abstract void Configure(DbContextOptionsBuilder builder);

    /// <summary>A new context (another "connection", as another request or instance would have).</summary>
    public ShopDb NewContext(params IInterceptor[] interceptors)
    {
        if (interceptors.Length == 0)
        {
            return new ShopDb(_options ??= Build().Options);
        }

        return new ShopDb(Build().AddInterceptors(interceptors).Options);
    }

    /// <summary>Empties the tables, for the next test.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        await using ShopDb db = NewContext();
        await db.Payments.ExecuteDeleteAsync(cancellationToken);
        await db.Ledger.ExecuteDeleteAsync(cancellationToken);
        await db.Orders.ExecuteDeleteAsync(cancellationToken);
    }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    protected async Task CreateSchemaAsync()
    {
        await using ShopDb db = NewContext();
        await db.Database.EnsureCreatedAsync();
    }

    private DbContextOptionsBuilder<ShopDb> Build()
    {
        var builder = new DbContextOptionsBuilder<ShopDb>();
        Configure(builder);
        return builder;
    }
}

/// <summary>SQLite: a file in a temporary folder, deleted after the test.</summary>
public sealed class SqliteShopDatabase : ShopDatabase
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alipayhk-efcore-").FullName;

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "shop.db") }.ToString();

    public static async Task<SqliteShopDatabase> CreateAsync()
    {
        var database = new SqliteShopDatabase();
        await database.CreateSchemaAsync();
        return database;
    }

    public override void Configure(DbContextOptionsBuilder builder) => builder.UseSqlite(ConnectionString);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>
/// PostgreSQL: a database of the project's one server (the collection fixture), created once per name (one per test
/// class), with Npgsql's retrying execution strategy (<c>EnableRetryOnFailure</c>) unless told otherwise.
/// </summary>
public sealed class PostgresShopDatabase : ShopDatabase
{
    private static readonly ConcurrentDictionary<string, Lazy<Task>> Created = new(StringComparer.Ordinal);
    private readonly string _connectionString;
    private readonly bool _retryOnFailure;

    private PostgresShopDatabase(string connectionString, bool retryOnFailure)
    {
        _connectionString = connectionString;
        _retryOnFailure = retryOnFailure;
    }

    public string ConnectionString => _connectionString;

    /// <summary>The database <paramref name="name"/>, created (with the schema) by the first call; skips the test without PostgreSQL.</summary>
    public static async Task<PostgresShopDatabase> OpenAsync(PostgresServer server, string name, bool retryOnFailure = true)
    {
        var database = new PostgresShopDatabase(server.ConnectionString(name), retryOnFailure);
        await Created.GetOrAdd($"{server.Port}/{name}", _ => new Lazy<Task>(async () =>
        {
            await server.CreateDatabaseAsync(name);
            await database.CreateSchemaAsync();
        })).Value;
        return database;
    }

    public override void Configure(DbContextOptionsBuilder builder) =>
        builder.UseNpgsql(_connectionString, npgsql =>
        {
            if (_retryOnFailure)
            {
                npgsql.EnableRetryOnFailure(3, TimeSpan.FromMilliseconds(50), null);
            }
        });

    /// <summary>Runs a scalar query on a connection of its own.</summary>
    public async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

/// <summary>Tells when a context begins a transaction.</summary>
public sealed class TransactionSignal : DbTransactionInterceptor
{
    public TaskCompletionSource Starting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        Starting.TrySetResult();
        return base.TransactionStartingAsync(connection, eventData, result, cancellationToken);
    }
}
