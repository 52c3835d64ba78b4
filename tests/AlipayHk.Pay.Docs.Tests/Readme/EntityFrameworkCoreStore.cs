using AlipayHk.Pay;
using AlipayHk.Pay.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace AlipayHk.Pay.Docs.Tests.EntityFrameworkCoreStore;

// src/AlipayHk.Pay.EntityFrameworkCore/README.md: its DbContext, its handler and its registration, run against the
// simulator on a SQLite file (EnsureCreated stands in for the migration).
public sealed class ShopDb(DbContextOptions<ShopDb> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.AddAlipayHkPayPayments(); // the table alipayhk_payments
}

public sealed class MarkOrderPaid(ShopDb db) : IAlipayHkPayOutcomeHandler
{
    public async Task HandleAsync(PaymentOutcome outcome, CancellationToken cancellationToken)
    {
        Order order = await db.Orders.SingleAsync(o => o.Id == outcome.Payment.MerchantOrderId, cancellationToken);
        order.Paid = outcome.Succeeded; // no SaveChanges needed: the store saves it with the payment's final state
    }
}

public sealed class Order
{
    public string Id { get; set; } = string.Empty;

    public bool Paid { get; set; }
}

public class EntityFrameworkCoreStoreTests
{
    [Fact]
    public async Task The_order_is_paid_in_the_shops_database_when_the_wait_returns_and_the_payment_is_recorded_final()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: ct);
        string folder = Directory.CreateTempSubdirectory("alipayhk-docs-efcore-").FullName;
        try
        {
            WebApplicationBuilder builder = WebApplication.CreateBuilder();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Shop"] = $"Data Source={Path.Combine(folder, "shop.db")}",
                ["AlipayHkPay:BaseAddress"] = gateway.BaseAddress.ToString(),
                ["AlipayHkPay:Uid"] = gateway.Uid,
                ["AlipayHkPay:ClientSecret"] = gateway.ClientSecret,
                ["AlipayHkPay:PollInitialDelay"] = "00:00:00.050",
            });
            builder.Services.AddDbContext<ShopDb>(options => options.UseSqlite(builder.Configuration.GetConnectionString("Shop")));
            builder.Services.AddAlipayHkPay(builder.Configuration);
            builder.Services.AddAlipayHkPayOutcomes<MarkOrderPaid>();
            builder.Services.AddAlipayHkPayEntityFrameworkCore<ShopDb>();
            await using WebApplication app = builder.Build();
            await using (AsyncServiceScope scope = app.Services.CreateAsyncScope())
            {
                ShopDb db = scope.ServiceProvider.GetRequiredService<ShopDb>();
                await db.Database.EnsureCreatedAsync(ct);
                db.Orders.Add(new Order { Id = "ORDER-7" });
                await db.SaveChangesAsync(ct);
            }

            IAlipayHkPayClient client = app.Services.GetRequiredService<IAlipayHkPayClient>();
            PaymentIntent created = await client.CreatePaymentAsync(
                new CreatePaymentRequest { Amount = 12.50m, MerchantOrderId = "ORDER-7", Description = "Two coffees", Wallet = AlipayHkWallet.AlipayHk }, ct);
            await gateway.CompletePaymentAsync(created.OrderId, ct);
            await client.WaitForCompletionAsync(PaymentReference.ByOrderId(created.OrderId), TimeSpan.FromSeconds(30), ct);

            await using AsyncServiceScope after = app.Services.CreateAsyncScope();
            ShopDb shop = after.ServiceProvider.GetRequiredService<ShopDb>();
            Assert.True((await shop.Orders.SingleAsync(o => o.Id == "ORDER-7", ct)).Paid);
            TrackedPayment payment = await shop.Set<TrackedPayment>().SingleAsync(ct);
            Assert.Equal((TrackedPaymentState.Succeeded, PaymentOutcomeSource.Wait), (payment.State, payment.HandledBy!.Value));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
