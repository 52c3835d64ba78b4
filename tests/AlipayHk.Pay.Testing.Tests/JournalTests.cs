using AlipayHk.Pay.Testing.Tests.Support;

namespace AlipayHk.Pay.Testing.Tests;

public sealed class JournalTests
{
    [Fact]
    public async Task Journal_records_every_request_in_order_with_what_was_answered()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.CreateAsync("J-1");
        simulator.FailNext(1, SimulatedFault.ServerError, SimulatedEndpoint.Query);
        using HttpResponseMessage failed = await client.PostAsync(GatewayClient.QueryPath, """{"merchant_order_id":"J-1"}""");

        IReadOnlyList<JournalEntry> journal = simulator.Journal;

        Assert.Equal([SimulatedEndpoint.Auth, SimulatedEndpoint.Create, SimulatedEndpoint.Query], journal.Select(e => e.Endpoint));
        Assert.Equal(["GET", "POST", "POST"], journal.Select(e => e.Method));
        Assert.Equal([200, 200, 503], journal.Select(e => e.StatusCode ?? 0));
        Assert.Equal([null, null, SimulatedFault.ServerError], journal.Select(e => e.Fault));
        Assert.Contains("\"merchant_order_id\":\"J-1\"", journal[1].Body, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"PENDING\"", journal[1].ResponseBody, StringComparison.Ordinal);
        Assert.StartsWith("Bearer ", journal[1].Headers["Authorization"], StringComparison.Ordinal);
        Assert.StartsWith("application/json", journal[1].Headers["Content-Type"], StringComparison.Ordinal);
        Assert.True(journal[0].Timestamp <= journal[2].Timestamp);
    }

    [Fact]
    public async Task Journal_never_holds_the_client_secret()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(new() { ClientSecret = "s3cr3t-VALUE-0123456789abcdef" }, TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.GetTokenAsync();
        using HttpResponseMessage wrong = await client.AuthAsync(secret: "s3cr3t-WRONG-0123456789abcdef");

        JournalEntry auth = simulator.Journal[0];

        Assert.Equal($"?grant_type=client_credentials&uid={simulator.Uid}&client_secret=REDACTED", auth.Query);
        foreach (JournalEntry entry in simulator.Journal)
        {
            string everything = string.Join('|', entry.ToString(), entry.Path, entry.Query, entry.Body, entry.ResponseBody, string.Join(',', entry.Headers.Values));
            Assert.DoesNotContain("s3cr3t", everything, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Journal_records_paths_the_gateway_does_not_serve()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);

        using HttpResponseMessage response = await client.Http.GetAsync("mch-api/v2/nothing?client_secret=abc", TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        JournalEntry entry = Assert.Single(simulator.Journal);
        Assert.Equal(SimulatedEndpoint.Any, entry.Endpoint);
        Assert.Equal("?client_secret=REDACTED", entry.Query);
        Assert.Equal(404, entry.StatusCode);
    }
}
