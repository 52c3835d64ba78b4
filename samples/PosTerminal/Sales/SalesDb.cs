using Microsoft.EntityFrameworkCore;

namespace PosTerminal.Sales;

/// <summary>
/// The terminal's database (SQLite): its own book of sales, and the SDK's payment records
/// (<c>modelBuilder.AddAlipayHkPayPayments()</c>), so that the outcome handler's change and the payment's final state are
/// saved in one transaction.
/// </summary>
internal sealed class SalesDb(DbContextOptions<SalesDb> options) : DbContext(options)
{
    public DbSet<Sale> Sales => Set<Sale>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddAlipayHkPayPayments(); // the table alipayhk_payments
        modelBuilder.Entity<Sale>(sale =>
        {
            sale.ToTable("pos_sales");
            sale.HasKey(s => s.MerchantOrderId);
            sale.Property(s => s.MerchantOrderId).HasMaxLength(32);
            sale.Property(s => s.Description).HasMaxLength(256);
            sale.Property(s => s.Amount).HasPrecision(18, 2);
            sale.Property(s => s.Wallet).HasConversion<string>().HasMaxLength(16);
            sale.Property(s => s.Outcome).HasConversion<string>().HasMaxLength(16);
            sale.Property(s => s.LearnedBy).HasConversion<string>().HasMaxLength(16);
            sale.Property(s => s.OrderId).HasMaxLength(64);
            sale.Property(s => s.Currency).HasMaxLength(3);
            sale.Property(s => s.RequestId).HasMaxLength(64);
        });
    }
}
