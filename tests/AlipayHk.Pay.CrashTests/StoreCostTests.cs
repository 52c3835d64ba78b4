using System.Globalization;
using AlipayHk.Pay.CrashTests.App;
using AlipayHk.Pay.CrashTests.Support;
using AlipayHk.Pay.Shared;
using AlipayHk.Pay.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.CrashTests;

/// <summary>
/// What the EF Core store costs a merchant in database round trips, per create and per outcome: counted with EF Core
/// interceptors on the app's own DbContext (<see cref="RoundTrips"/>: every statement sent, every transaction begun and
/// ended), not estimated. The counts are exact for one payment at a time and are asserted, so that docs/benchmarks.md
/// ("Crashes and the store's cost") stays true. The time the store adds to a create is a benchmark's, not a test's:
/// <c>dotnet run -c Release --project tests/AlipayHk.Pay.Benchmarks -- --filter '*Store*'</c>.
/// </summary>
public sealed class SqliteStoreCostTests
{
    [Fact]
    public async Task The_SQLite_store_costs_a_known_number_of_statements_per_create_and_per_outcome()
    {
        string folder = Directory.CreateTempSubdirectory("alipayhk-cost-").FullName;
        string connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "shop.db") }.ToString();
        try
        {
            StoreCost cost = await StoreCost.MeasureAsync("SQLite (a file)", o => o.UseSqlite(connectionString), TestContext.Current.CancellationToken);
            cost.AssertCounts(create: (4, 0), wait: (2, 1), webhook: (3, 1), redelivery: (1, 0));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreCostTests(PostgresServer server)
{
    [Fact]
    public async Task The_PostgreSQL_store_costs_a_known_number_of_statements_per_create_and_per_outcome()
    {
        string connectionString = server.ConnectionString("cost"); // skips without PostgreSQL (fails under CI=true)
        await server.CreateDatabaseAsync("cost");
        StoreCost cost = await StoreCost.MeasureAsync("PostgreSQL", o => o.UseNpgsql(connectionString), TestContext.Current.CancellationToken);
        cost.AssertCounts(create: (4, 0), wait: (2, 1), webhook: (3, 1), redelivery: (1, 0));
    }
}

/// <summary>
/// One measurement: a shop with outcomes and the EF Core store (Kestrel on 127.0.0.1, for the webhook) against the
/// simulator. A create: the store looks the payment up, records it creating (an update that finds no row, then an
/// insert), and records it pending once the gateway answered (an update): 4 statements. An outcome:
/// one transaction with the conditional update to final and the handler's insert into the books (a webhook's first
/// looks the payment up too). On PostgreSQL a transaction adds one round trip, its COMMIT (Npgsql sends BEGIN with the
/// first statement); on SQLite, in process, nothing crosses a network.
/// </summary>
internal sealed class StoreCost
{
    private const int Counted = 50;
    private const int WarmUp = 10;

    private StoreCost(string provider) => Provider = provider;

    internal string Provider { get; }

    internal (double Statements, double Transactions) PerCreate { get; private set; }

    internal (double Statements, double Transactions) PerWaitOutcome { get; private set; }

    internal (double Statements, double Transactions) PerWebhookOutcome { get; private set; }

    internal (double Statements, double Transactions) PerRedelivery { get; private set; }

    internal static async Task<StoreCost> MeasureAsync(string provider, Action<DbContextOptionsBuilder> database, CancellationToken ct)
    {
        var cost = new StoreCost(provider);
        await using AlipayHkGatewaySimulator simulator = await AlipayHkGatewaySimulator.StartAsync(new AlipayHkGatewaySimulatorOptions { CallbackRetryDelays = [] }, ct);
        var trips = new RoundTrips();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(new CrashSettings { HandlerLingerMs = 0, WriteMarkers = false });
        builder.Services.AddDbContext<ShopDb>(o => database(o.AddInterceptors(trips.Interceptors)));
        builder.Services.AddAlipayHkPay(simulator.ConfigureClient);
        builder.Services.AddAlipayHkPayOutcomes<BookPayment>(o => o.ReconcilerEnabled = false); // its scans would land in the counts
        builder.Services.AddAlipayHkPayEntityFrameworkCore<ShopDb>();
        await using WebApplication shop = builder.Build();
        shop.MapAlipayHkPayWebhook("/notify");
        await using (AsyncServiceScope scope = shop.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ShopDb>().Database.EnsureCreatedAsync(ct);
        }

        await shop.StartAsync(ct);
        var notifyUrl = new Uri(new Uri(shop.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), "/notify");
        IAlipayHkPayClient tracked = shop.Services.GetRequiredService<IAlipayHkPayClient>();

        for (int i = 0; i < WarmUp; i++)
        {
            await tracked.CreatePaymentAsync(Sale($"WT{i}"), ct);
        }

        // Per create, then per outcome learned by a wait (paid without a callback: no notify URL).
        string[] waited = [.. Enumerable.Range(0, Counted).Select(i => $"CW{i}")];
        cost.PerCreate = await CountAsync(trips, waited, id => tracked.CreatePaymentAsync(Sale(id), ct));
        foreach (string id in waited)
        {
            await simulator.CompletePaymentAsync(id, ct);
        }

        cost.PerWaitOutcome = await CountAsync(trips, waited, async id =>
            Assert.Equal(PaymentStatus.Succeeded, (await tracked.WaitForCompletionAsync(PaymentReference.ByMerchantOrderId(id), TimeSpan.FromSeconds(10), ct)).Status));

        // Per outcome learned by a webhook (the first callback, answered before CompletePaymentAsync returns), then per re-delivery of it.
        string[] notified = [.. Enumerable.Range(0, Counted).Select(i => $"CN{i}")];
        foreach (string id in notified)
        {
            await tracked.CreatePaymentAsync(Sale(id, notifyUrl), ct);
        }

        cost.PerWebhookOutcome = await CountAsync(trips, notified, async id =>
        {
            await simulator.CompletePaymentAsync(id, ct);
            (await simulator.WaitForCallbackAsync(id, 1, ct)).EnsureAccepted();
        });
        cost.PerRedelivery = await CountAsync(trips, notified, async id => (await simulator.RedeliverCallbackAsync(id, ct)).EnsureAccepted());

        await using (AsyncServiceScope scope = shop.Services.CreateAsyncScope())
        {
            Assert.Equal(2 * Counted, await scope.ServiceProvider.GetRequiredService<ShopDb>().Books.CountAsync(ct)); // each outcome booked once
        }

        await shop.StopAsync(ct);
        TestContext.Current.TestOutputHelper?.WriteLine(cost.ToString());
        return cost;
    }

    internal void AssertCounts((int, int) create, (int, int) wait, (int, int) webhook, (int, int) redelivery)
    {
        string why = "\n" + this;
        Assert.True(PerCreate == create, "per create" + why);
        Assert.True(PerWaitOutcome == wait, "per outcome learned by a wait" + why);
        Assert.True(PerWebhookOutcome == webhook, "per outcome learned by a webhook" + why);
        Assert.True(PerRedelivery == redelivery, "per re-delivered callback" + why);
    }

    public override string ToString()
    {
        static string Trips((double Statements, double Transactions) t) =>
            string.Create(CultureInfo.InvariantCulture, $"{t.Statements:0.##} statements, {t.Transactions:0.##} transactions");
        return string.Join(Environment.NewLine,
            $"Store cost on {Provider}, one payment at a time ({Counted} each):",
            $"  per create:                         {Trips(PerCreate)}",
            $"  per outcome learned by a wait:      {Trips(PerWaitOutcome)}",
            $"  per outcome learned by a webhook:   {Trips(PerWebhookOutcome)}",
            $"  per re-delivered callback:          {Trips(PerRedelivery)}");
    }

    private static async Task<(double, double)> CountAsync(RoundTrips trips, string[] ids, Func<string, Task> act)
    {
        trips.Reset();
        foreach (string id in ids)
        {
            await act(id);
        }

        (int statements, int begun, int _, int _) = trips.Snapshot;
        return ((double)statements / ids.Length, (double)begun / ids.Length);
    }

    private static CreatePaymentRequest Sale(string merchantOrderId, Uri? notifyUrl = null) => new()
    {
        Amount = 12.50m,
        MerchantOrderId = merchantOrderId,
        Description = "Two coffees",
        Wallet = AlipayHkWallet.AlipayHk,
        NotifyUrl = notifyUrl,
    };
}
