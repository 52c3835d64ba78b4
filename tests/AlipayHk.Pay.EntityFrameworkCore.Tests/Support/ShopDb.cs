using Microsoft.EntityFrameworkCore;

namespace AlipayHk.Pay.EntityFrameworkCore.Tests.Support;

/// <summary>A merchant's own DbContext: its orders and its ledger, plus the SDK's payments (one call in OnModelCreating).</summary>
public sealed class ShopDb(DbContextOptions<ShopDb> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();

    public DbSet<LedgerEntry> Ledger => Set<LedgerEntry>();

    public DbSet<TrackedPayment> Payments => Set<TrackedPayment>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddAlipayHkPayPayments();
        modelBuilder.Entity<Order>(order =>
        {
            order.ToTable("orders");
            order.Property(o => o.Id).HasColumnName("id").HasMaxLength(32);
            order.Property(o => o.Amount).HasColumnName("amount").HasPrecision(18, 2);
            order.Property(o => o.Paid).HasColumnName("paid");
            order.Property(o => o.PaidOrderId).HasColumnName("paid_order_id").HasMaxLength(64);
        });
        modelBuilder.Entity<LedgerEntry>(entry =>
        {
            // No unique key on the merchant order id on purpose: a second run of the handler would show as a second row.
            entry.ToTable("ledger");
            entry.Property(e => e.Id).HasColumnName("id");
            entry.Property(e => e.MerchantOrderId).HasColumnName("merchant_order_id").HasMaxLength(32);
            entry.Property(e => e.Amount).HasColumnName("amount").HasPrecision(18, 2);
            entry.Property(e => e.Status).HasColumnName("status").HasMaxLength(16);
        });
    }
}

/// <summary>The shop's order: paid once its payment succeeded.</summary>
public sealed class Order
{
    public string Id { get; set; } = string.Empty;

    public decimal Amount { get; set; }

    public bool Paid { get; set; }

    public string? PaidOrderId { get; set; }
}

/// <summary>One line of the shop's books per outcome recorded: two lines for one payment would be a double booking.</summary>
public sealed class LedgerEntry
{
    public int Id { get; set; }

    public string MerchantOrderId { get; set; } = string.Empty;

    public decimal Amount { get; set; }

    public string Status { get; set; } = string.Empty;
}

/// <summary>A DbContext that forgot <c>AddAlipayHkPayPayments</c>.</summary>
public sealed class ForgetfulDb(DbContextOptions<ForgetfulDb> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();
}
