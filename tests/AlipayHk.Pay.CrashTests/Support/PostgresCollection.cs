namespace AlipayHk.Pay.CrashTests.Support;

using AlipayHk.Pay.Shared;

/// <summary>One PostgreSQL server for the project's classes that need one (each with a database of its own).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
