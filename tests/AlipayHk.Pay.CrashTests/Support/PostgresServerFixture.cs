namespace AlipayHk.Pay.Shared;

/// <summary>As an xunit fixture: started before a test class's first test, killed (and its data deleted) after its last.</summary>
public sealed partial class PostgresServer : IAsyncLifetime;
