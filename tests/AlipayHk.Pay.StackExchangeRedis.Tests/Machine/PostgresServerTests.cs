using AlipayHk.Pay.Shared;

namespace AlipayHk.Pay.StackExchangeRedis.Tests.Machine;

/// <summary>
/// The real PostgreSQL fixture the outcome store's tests will use (tests/Shared/PostgresServer.cs): started in a
/// temporary directory on a free loopback port, a database created, killed as a crash would and started again on the
/// same data and port. Skipped without PostgreSQL (fails under CI=true).
/// </summary>
public sealed class PostgresServerTests
{
    [Fact]
    public async Task A_database_and_its_committed_rows_survive_a_kill_and_a_restart_on_the_same_port()
    {
        await using var postgres = new PostgresServer();
        await postgres.StartAsync();
        await postgres.CreateDatabaseAsync("outcomes");
        string first = await postgres.QueryAsync("outcomes", "SELECT 1");
        await postgres.QueryAsync("outcomes", "CREATE TABLE payments (order_id text PRIMARY KEY); INSERT INTO payments VALUES ('C1795')");

        await postgres.KillAsync();
        var down = await Assert.ThrowsAsync<InvalidOperationException>(() => postgres.QueryAsync("outcomes", "SELECT 1"));
        await postgres.StartAsync();

        Assert.Equal("1", first);
        Assert.Contains("Connection refused", down.Message, StringComparison.Ordinal);
        Assert.Equal("C1795", await postgres.QueryAsync("outcomes", "SELECT order_id FROM payments"));
        Assert.Equal($"Host=127.0.0.1;Port={postgres.Port};Username=postgres;Database=outcomes", postgres.ConnectionString("outcomes"));
    }

    [Fact]
    public async Task It_stops_cleanly_starts_again_and_leaves_no_directory_behind()
    {
        string directory;
        await using (var postgres = new PostgresServer())
        {
            await postgres.StartAsync();
            directory = postgres.DataDirectory!;
            await postgres.CreateDatabaseAsync("kept");
            await postgres.StopAsync();
            await postgres.StartAsync();

            Assert.Equal("kept", await postgres.QueryAsync("postgres", "SELECT datname FROM pg_database WHERE datname = 'kept'"));
            Assert.Equal("127.0.0.1", await postgres.QueryAsync("postgres", "SHOW listen_addresses"));
        }

        Assert.False(Directory.Exists(directory));
    }
}
