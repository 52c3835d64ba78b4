using AlipayHk.Pay.Testing.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

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
    public async Task Journal_never_holds_an_access_token()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        string token = await client.GetTokenAsync();
        await client.CreateAsync("J-TOKEN");

        IReadOnlyList<JournalEntry> journal = simulator.Journal;

        Assert.Equal("{\"access_token\":\"REDACTED\",\"expires_in\":3600}", journal[0].ResponseBody);
        Assert.Equal("Bearer REDACTED", journal[1].Headers["Authorization"]);
        Assert.All(journal, entry => Assert.DoesNotContain(token, string.Join('|', entry.Body, entry.ResponseBody, entry.Query, string.Join(',', entry.Headers.Values)), StringComparison.Ordinal));
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

    [Fact]
    public async Task Logs_tell_the_story_without_the_secret()
    {
        using var provider = new FakeLoggerProvider();
        using var loggers = new LoggerFactory([provider]);
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(
            new() { ClientSecret = "s3cr3t-VALUE-0123456789abcdef", LoggerFactory = loggers },
            TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.CreateAsync("LOG-1", receiver.NotifyUrl.AbsoluteUri);
        await simulator.CompletePaymentAsync("LOG-1", TestContext.Current.CancellationToken);

        string[] lines = provider.Collector.GetSnapshot().Select(r => r.Message).ToArray();

        Assert.Contains(lines, l => l.StartsWith("Gateway simulator listening on http://127.0.0.1:", StringComparison.Ordinal));
        Assert.Contains("Gateway simulator: GET /mch-api/v1/auth -> 200", lines);
        Assert.Contains("Gateway simulator: POST /mch-api/v1/pa/payment_intents/create -> 200", lines);
        Assert.Contains(lines, l => l.Contains("(merchant order LOG-1) is now SUCCEEDED", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Gateway simulator: callback #1 for order C", StringComparison.Ordinal) && l.EndsWith(": HTTP 200", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("s3cr3t", StringComparison.Ordinal));
    }
}
