using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.Benchmarks;

/// <summary>
/// What the payment store adds to a create (issue 15, "the extra time per create over loopback"): one
/// <c>CreatePaymentAsync</c> against the gateway simulator on 127.0.0.1, with outcomes off (the baseline), on with the
/// in-memory store, and on with the EF Core store on a SQLite file (default journal mode, the merchant's own
/// <see cref="StoreBenchDb"/>). With outcomes on, a create records the payment before it is sent (creating) and after the
/// gateway answered (pending): the database round trips counted by the crash tests' StoreCostTests. The reconciler
/// does not run (no host is started), so only the create's own work is measured. Every call is a new sale (a new
/// merchant order id): the gateway refuses a merchant order id it has already.
/// <code>dotnet run -c Release --project tests/AlipayHk.Pay.Benchmarks -- --filter '*Store*'</code>
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[WarmupCount(10)]
public class StoreBenchmarks
{
    private Testing.AlipayHkGatewaySimulator _simulator = null!;
    private ServiceProvider _off = null!;
    private ServiceProvider _inMemory = null!;
    private ServiceProvider _sqlite = null!;
    private IAlipayHkPayClient _offClient = null!;
    private IAlipayHkPayClient _inMemoryClient = null!;
    private IAlipayHkPayClient _sqliteClient = null!;
    private string _folder = null!;
    private long _sales;

    [GlobalSetup]
    public void Setup()
    {
        _simulator = Testing.AlipayHkGatewaySimulator.StartAsync().GetAwaiter().GetResult();
        _folder = Directory.CreateTempSubdirectory("alipayhk-store-bench-").FullName;
        string connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "shop.db") }.ToString();

        _off = new ServiceCollection().AddLogging().AddAlipayHkPay(_simulator.ConfigureClient).BuildServiceProvider();
        _inMemory = new ServiceCollection().AddLogging().AddAlipayHkPay(_simulator.ConfigureClient)
            .AddAlipayHkPayOutcomes<NoBooks>().BuildServiceProvider();
        _sqlite = new ServiceCollection().AddLogging().AddAlipayHkPay(_simulator.ConfigureClient)
            .AddAlipayHkPayOutcomes<NoBooks>()
            .AddDbContext<StoreBenchDb>(o => o.UseSqlite(connectionString))
            .AddAlipayHkPayEntityFrameworkCore<StoreBenchDb>()
            .BuildServiceProvider();
        using (IServiceScope scope = _sqlite.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<StoreBenchDb>().Database.EnsureCreated();
        }

        _offClient = _off.GetRequiredService<IAlipayHkPayClient>();
        _inMemoryClient = _inMemory.GetRequiredService<IAlipayHkPayClient>();
        _sqliteClient = _sqlite.GetRequiredService<IAlipayHkPayClient>();

        // The first call of each fetches its token; each then runs with a cached one.
        foreach (IAlipayHkPayClient client in new[] { _offClient, _inMemoryClient, _sqliteClient })
        {
            if (client.CreatePaymentAsync(Sale()).GetAwaiter().GetResult().Status != PaymentStatus.Pending)
            {
                throw new InvalidOperationException("The simulator did not create the payment.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _off.Dispose();
        _inMemory.Dispose();
        _sqlite.Dispose();
        _simulator.DisposeAsync().AsTask().GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "create, outcomes off")]
    public Task<PaymentIntent> OutcomesOff() => _offClient.CreatePaymentAsync(Sale());

    [Benchmark(Description = "create, outcomes on, in-memory store")]
    public Task<PaymentIntent> InMemoryStore() => _inMemoryClient.CreatePaymentAsync(Sale());

    [Benchmark(Description = "create, outcomes on, EF Core store on SQLite")]
    public Task<PaymentIntent> SqliteStore() => _sqliteClient.CreatePaymentAsync(Sale());

    private CreatePaymentRequest Sale() => new()
    {
        Amount = 12.50m,
        MerchantOrderId = "B" + Interlocked.Increment(ref _sales).ToString(System.Globalization.CultureInfo.InvariantCulture),
        Description = "Two coffees",
        Wallet = AlipayHkWallet.AlipayHk,
    };

    /// <summary>The outcome handler: never called here (a create has no outcome yet).</summary>
    internal sealed class NoBooks : IAlipayHkPayOutcomeHandler
    {
        public Task HandleAsync(PaymentOutcome outcome, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>The merchant's DbContext, with the SDK's payments in its model.</summary>
public sealed class StoreBenchDb(DbContextOptions<StoreBenchDb> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddAlipayHkPayPayments();
}
