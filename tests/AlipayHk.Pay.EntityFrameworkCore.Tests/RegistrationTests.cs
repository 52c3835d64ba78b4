using AlipayHk.Pay.EntityFrameworkCore.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.EntityFrameworkCore.Tests;

/// <summary>How an app wires the store (no database is opened here), and the model it adds.</summary>
public sealed class RegistrationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_store_is_the_apps_scoped_DbContext_whether_registered_before_or_after_outcomes(bool efFirst)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(new HandlerRuns());
        services.AddAlipayHkPay(options => options.Uid = "shop");
        services.AddDbContext<ShopDb>(options => options.UseSqlite("Data Source=never-opened.db"));
        if (efFirst)
        {
            services.AddAlipayHkPayEntityFrameworkCore<ShopDb>();
        }

        services.AddAlipayHkPayOutcomes<MarkOrderPaid>();
        if (!efFirst)
        {
            services.AddAlipayHkPayEntityFrameworkCore<ShopDb>();
        }

        await using ServiceProvider app = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await using AsyncServiceScope scope = app.CreateAsyncScope();
        await using AsyncServiceScope other = app.CreateAsyncScope();

        var store = Assert.IsType<EfCorePaymentStore<ShopDb>>(scope.ServiceProvider.GetRequiredService<IAlipayHkPayPaymentStore>());
        Assert.Same(scope.ServiceProvider.GetRequiredService<ShopDb>(), store.Context); // the handler's instance, in the same scope
        Assert.NotSame(store, other.ServiceProvider.GetRequiredService<IAlipayHkPayPaymentStore>());
        Assert.Equal(ServiceLifetime.Scoped, Assert.Single(services, d => d.ServiceType == typeof(IAlipayHkPayPaymentStore)).Lifetime);
    }

    [Fact]
    public async Task A_DbContext_without_the_payments_is_refused_with_what_to_do()
    {
        await using var db = new ForgetfulDb(new DbContextOptionsBuilder<ForgetfulDb>().UseSqlite("Data Source=never-opened.db").Options);
        var store = new EfCorePaymentStore<ForgetfulDb>(db, TimeProvider.System);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => store.FindAsync(string.Empty, "P-1", TestContext.Current.CancellationToken));

        Assert.Contains("call modelBuilder.AddAlipayHkPayPayments() in its OnModelCreating", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_model_has_the_documented_table_key_columns_and_indexes_and_takes_another_name_and_schema()
    {
        using var db = new ShopDb(new DbContextOptionsBuilder<ShopDb>().UseSqlite("Data Source=never-opened.db").Options);
        IEntityType payments = db.Model.FindEntityType(typeof(TrackedPayment))!;
        var builder = new ModelBuilder();
        builder.AddAlipayHkPayPayments("payments", "pay");
        IMutableEntityType renamed = builder.Model.FindEntityType(typeof(TrackedPayment))!;

        Assert.Equal(("alipayhk_payments", (string?)null), (payments.GetTableName(), payments.GetSchema()));
        Assert.Equal(["merchant", "merchant_order_id"], payments.FindPrimaryKey()!.Properties.Select(p => p.GetColumnName()));
        Assert.Equal("pk_alipayhk_payments", payments.FindPrimaryKey()!.GetName());
        Assert.Equal(
            ["ix_alipayhk_payments_order_id:order_id", "ix_alipayhk_payments_state_next_check_at:state,next_check_at"],
            payments.GetIndexes().Select(i => $"{i.GetDatabaseName()}:{string.Join(',', i.Properties.Select(p => p.GetColumnName()))}").Order(StringComparer.Ordinal));
        Assert.Equal(17, payments.GetProperties().Count());
        Assert.Null(payments.FindProperty(nameof(TrackedPayment.IsOpen)));
        Assert.Equal((64, 32, 64, 256, 2048), (
            payments.FindProperty(nameof(TrackedPayment.Merchant))!.GetMaxLength(), payments.FindProperty(nameof(TrackedPayment.MerchantOrderId))!.GetMaxLength(),
            payments.FindProperty(nameof(TrackedPayment.OrderId))!.GetMaxLength(), payments.FindProperty(nameof(TrackedPayment.Description))!.GetMaxLength(),
            payments.FindProperty(nameof(TrackedPayment.QrCodeUrl))!.GetMaxLength()));
        Assert.Equal(typeof(string), payments.FindProperty(nameof(TrackedPayment.State))!.GetProviderClrType());
        Assert.Equal(typeof(DateTime), payments.FindProperty(nameof(TrackedPayment.NextCheckAt))!.GetValueConverter()!.ProviderClrType);
        Assert.Equal((18, 2), (payments.FindProperty(nameof(TrackedPayment.Amount))!.GetPrecision(), payments.FindProperty(nameof(TrackedPayment.Amount))!.GetScale()));
        Assert.Equal(("payments", "pay"), (renamed.GetTableName(), renamed.GetSchema()));
    }
}
