using AlipayHk.Pay;
using AlipayHk.Pay.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Adds the payments that AlipayHk.Pay tracks to the app's own <see cref="DbContext"/> model.</summary>
public static class AlipayHkPayModelBuilderExtensions
{
    /// <summary>The table's name unless another is given: <c>alipayhk_payments</c>.</summary>
    public const string DefaultTableName = "alipayhk_payments";

    /// <summary>
    /// Maps <see cref="TrackedPayment"/>, the payment store's row, to a table of the app's database. Call it once in
    /// <see cref="DbContext.OnModelCreating(ModelBuilder)"/>, register the store with
    /// <c>services.AddAlipayHkPayEntityFrameworkCore&lt;TContext&gt;()</c>, and create the table with a migration
    /// (<c>dotnet ef migrations add AlipayHkPayPayments</c>).
    /// </summary>
    /// <remarks>
    /// <para>The key is (<c>merchant</c>, <c>merchant_order_id</c>): the merchant's name (empty for the default merchant)
    /// and its order id, so the database itself refuses a second row for one payment. Indexes: <c>order_id</c>, and
    /// (<c>state</c>, <c>next_check_at</c>) for the reconciler. Enums are stored as their names (<c>Pending</c>,
    /// <c>Succeeded</c>, ...); times as UTC <see cref="DateTime"/> values (<c>timestamp with time zone</c> on PostgreSQL,
    /// sortable text on SQLite), so that comparisons and ordering run in the database on every provider; the amount as
    /// <c>decimal(18,2)</c>. There is no concurrency token: every change of state is a conditional update or an insert
    /// under the key, decided by the database.</para>
    /// </remarks>
    /// <param name="modelBuilder">The model builder of <see cref="DbContext.OnModelCreating(ModelBuilder)"/>.</param>
    /// <param name="tableName">The table's name; <see cref="DefaultTableName"/> unless given.</param>
    /// <param name="schema">The table's schema, or <see langword="null"/> for the database's default.</param>
    /// <returns>The model builder, for chaining.</returns>
    public static ModelBuilder AddAlipayHkPayPayments(this ModelBuilder modelBuilder, string tableName = DefaultTableName, string? schema = null)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        var utc = new ValueConverter<DateTimeOffset, DateTime>(
            value => value.UtcDateTime,
            value => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)));

        modelBuilder.Entity<TrackedPayment>(payment =>
        {
            payment.ToTable(tableName, schema);
            payment.HasKey(p => new { p.Merchant, p.MerchantOrderId }).HasName($"pk_{tableName}");
            payment.Ignore(p => p.IsOpen);

            payment.Property(p => p.Merchant).HasColumnName("merchant").HasMaxLength(PaymentColumns.MerchantLength).IsRequired();
            payment.Property(p => p.MerchantOrderId).HasColumnName("merchant_order_id").HasMaxLength(PaymentColumns.MerchantOrderIdLength).IsRequired();
            payment.Property(p => p.Amount).HasColumnName("amount").HasPrecision(18, 2);
            payment.Property(p => p.Description).HasColumnName("description").HasMaxLength(PaymentColumns.DescriptionLength).IsRequired();
            payment.Property(p => p.Wallet).HasColumnName("wallet").HasConversion<string>().HasMaxLength(PaymentColumns.EnumLength);
            payment.Property(p => p.State).HasColumnName("state").HasConversion<string>().HasMaxLength(PaymentColumns.EnumLength);
            payment.Property(p => p.OrderId).HasColumnName("order_id").HasMaxLength(PaymentColumns.OrderIdLength);
            payment.Property(p => p.QrCodeUrl).HasColumnName("qr_code_url").HasMaxLength(PaymentColumns.QrCodeUrlLength);
            payment.Property(p => p.RawStatus).HasColumnName("raw_status").HasMaxLength(PaymentColumns.RawStatusLength);
            payment.Property(p => p.PayTime).HasColumnName("pay_time").HasConversion(utc);
            payment.Property(p => p.CreatedAt).HasColumnName("created_at").HasConversion(utc);
            payment.Property(p => p.UpdatedAt).HasColumnName("updated_at").HasConversion(utc);
            payment.Property(p => p.HandledAt).HasColumnName("handled_at").HasConversion(utc);
            payment.Property(p => p.HandledBy).HasColumnName("handled_by").HasConversion<string>().HasMaxLength(PaymentColumns.EnumLength);
            payment.Property(p => p.NextCheckAt).HasColumnName("next_check_at").HasConversion(utc);
            payment.Property(p => p.Checks).HasColumnName("checks");
            payment.Property(p => p.NotFound).HasColumnName("not_found");

            payment.HasIndex(p => p.OrderId).HasDatabaseName($"ix_{tableName}_order_id");
            payment.HasIndex(p => new { p.State, p.NextCheckAt }).HasDatabaseName($"ix_{tableName}_state_next_check_at");
        });
        return modelBuilder;
    }
}
