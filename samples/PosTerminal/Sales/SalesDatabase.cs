using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace PosTerminal.Sales;

/// <summary>
/// Where the terminal keeps its sales: a SQLite file (<c>--sales-db</c>, or <c>pos-sales.db</c> beside its settings),
/// or, with the embedded simulator, which forgets its orders when the terminal exits, a SQLite database in memory that
/// lives as long as the run. Either way the same <see cref="SalesDb"/>, the SDK's outcomes and its EF Core payment store.
/// </summary>
internal sealed class SalesDatabase : IAsyncDisposable
{
    /// <summary>The file's name beside the terminal's settings.</summary>
    public const string DefaultFileName = "pos-sales.db";

    /// <summary>Keeps an in-memory database alive between the contexts that use it; <see langword="null"/> for a file.</summary>
    private readonly SqliteConnection? _keepAlive;

    private SalesDatabase(string connectionString, string? path, SqliteConnection? keepAlive)
    {
        ConnectionString = connectionString;
        Path = path;
        _keepAlive = keepAlive;
    }

    /// <summary>The file's full path, or <see langword="null"/> in memory.</summary>
    public string? Path { get; }

    private string ConnectionString { get; }

    /// <summary>A SQLite file at <paramref name="path"/> (its folder is created if need be).</summary>
    public static SalesDatabase File(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        return new SalesDatabase(new SqliteConnectionStringBuilder { DataSource = full }.ToString(), full, keepAlive: null);
    }

    /// <summary>A SQLite database in memory, private to this run, shared by its contexts; gone when disposed.</summary>
    public static SalesDatabase InMemory()
    {
        string connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = "pos-sales-" + Guid.NewGuid().ToString("N"),
            Mode = SqliteOpenMode.Memory,
            Cache = SqliteCacheMode.Shared,
        }.ToString();
        var keepAlive = new SqliteConnection(connectionString);
        keepAlive.Open();
        return new SalesDatabase(connectionString, path: null, keepAlive);
    }

    /// <summary>
    /// The SDK's outcomes on the terminal's <see cref="SalesDb"/>: every payment it creates is tracked in the database,
    /// and <see cref="RecordSale"/> books each outcome once, in the same transaction as the payment's final state.
    /// </summary>
    public void Register(IServiceCollection services)
    {
        services.AddDbContext<SalesDb>(options => options.UseSqlite(ConnectionString));
        services.AddAlipayHkPayOutcomes<RecordSale>();
        services.AddAlipayHkPayEntityFrameworkCore<SalesDb>();
    }

    /// <summary>Creates the tables on first use (a sample: no migrations); before the app starts, as its reconciler reads them.</summary>
    public static async Task CreateTablesAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SalesDb>().Database.EnsureCreatedAsync(cancellationToken);
    }

    /// <summary>Closes the database: the file is no longer held open; an in-memory one is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        using (var pooled = new SqliteConnection(ConnectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }

        if (_keepAlive is not null)
        {
            await _keepAlive.DisposeAsync();
        }
    }

    /// <summary>What the terminal says about it at start: where the file is.</summary>
    public override string ToString() => Path ?? "in memory";
}
