using AlipayHk.Pay.EntityFrameworkCore.Tests.Support;

namespace AlipayHk.Pay.EntityFrameworkCore.Tests;

/// <summary>The store's contract on SQLite: a database file of its own per test (writers take turns on its write lock).</summary>
public sealed class SqlitePaymentStoreTests : PaymentStoreConformance
{
    protected override async Task<ShopDatabase> OpenDatabaseAsync() => await SqliteShopDatabase.CreateAsync();
}
