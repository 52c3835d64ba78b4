using Microsoft.EntityFrameworkCore;

namespace AlipayHk.Pay.CrashTests.App;

/// <summary>
/// The merchant's own database: its books (one row per outcome its handler recorded), and the SDK's payments (one call
/// in <see cref="OnModelCreating"/>). The crash tests read it directly.
/// </summary>
public sealed class ShopDb(DbContextOptions<ShopDb> options) : DbContext(options)
{
    public DbSet<BookEntry> Books => Set<BookEntry>();

    public DbSet<TrackedPayment> Payments => Set<TrackedPayment>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddAlipayHkPayPayments();
        modelBuilder.Entity<BookEntry>(entry =>
        {
            // No unique key on the merchant order id, on purpose: a second run of the handler for one payment would be a
            // second row, which the crash tests count. Exactly once has to come from the SDK and its store, not from here.
            entry.ToTable("books");
            entry.Property(e => e.Id).HasColumnName("id");
            entry.Property(e => e.MerchantOrderId).HasColumnName("merchant_order_id").HasMaxLength(32);
            entry.Property(e => e.OrderId).HasColumnName("order_id").HasMaxLength(64);
            entry.Property(e => e.Status).HasColumnName("status").HasMaxLength(16);
            entry.Property(e => e.Amount).HasColumnName("amount").HasPrecision(18, 2);
            entry.Property(e => e.Source).HasColumnName("source").HasMaxLength(16);
            entry.Property(e => e.Instance).HasColumnName("instance").HasMaxLength(16);
            entry.Property(e => e.Pid).HasColumnName("pid");
        });
    }
}

/// <summary>One line of the merchant's books: one final outcome recorded by the handler. Two lines for one payment would be a double booking.</summary>
public sealed class BookEntry
{
    public long Id { get; set; }

    public string MerchantOrderId { get; set; } = string.Empty;

    public string OrderId { get; set; } = string.Empty;

    /// <summary>The gateway's status: <c>SUCCEEDED</c> or <c>CANCELLED</c>.</summary>
    public string Status { get; set; } = string.Empty;

    public decimal Amount { get; set; }

    /// <summary>How the SDK learned it: <c>Webhook</c>, <c>Wait</c>, <c>Query</c>, <c>Reconciliation</c>.</summary>
    public string Source { get; set; } = string.Empty;

    /// <summary>Which instance of the app handled it (its name), and which process of it.</summary>
    public string Instance { get; set; } = string.Empty;

    public int Pid { get; set; }
}
