namespace AlipayHk.Pay.Shared
{
    /// <summary>As an xunit fixture: started before the first test that uses it, killed (and its data deleted) after the last.</summary>
    public sealed partial class PostgresServer : IAsyncLifetime;
}

namespace AlipayHk.Pay.EntityFrameworkCore.Tests.Support
{
    using AlipayHk.Pay.Shared;

    /// <summary>One PostgreSQL server for the whole project; each test class has a database of its own on it.</summary>
    [CollectionDefinition(Name)]
    public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
    {
        public const string Name = "PostgreSQL";
    }
}
