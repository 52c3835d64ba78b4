using System.Diagnostics;
using System.Net;
using AlipayHk.Pay.Testing.Tests.Support;

namespace AlipayHk.Pay.Testing.Tests;

public sealed class FaultTests
{
    [Fact]
    public async Task ServerError_answers_503_with_html_and_does_not_create_the_order()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.GetTokenAsync();
        simulator.FailNext(1, SimulatedFault.ServerError);

        using HttpResponseMessage response = await client.PostAsync(GatewayClient.CreatePath, GatewayClient.CreateBody("F-500"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(simulator.Payments);
    }

    [Fact]
    public async Task ConnectionReset_aborts_the_connection_and_does_not_create_the_order()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.GetTokenAsync();
        simulator.FailNext(1, SimulatedFault.ConnectionReset);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(GatewayClient.CreatePath, GatewayClient.CreateBody("F-RST")));

        Assert.Empty(simulator.Payments);
        Assert.Equal(0, (await client.CreateAsync("F-RST")).GetProperty("code").GetInt32()); // The next call is served.
    }

    [Fact]
    public async Task MalformedBody_answers_200_with_non_json_after_creating_the_order()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.GetTokenAsync();
        simulator.FailNext(1, SimulatedFault.MalformedBody);

        using HttpResponseMessage response = await client.PostAsync(GatewayClient.CreatePath, GatewayClient.CreateBody("F-BAD"));
        string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => System.Text.Json.JsonDocument.Parse(body));
        Assert.NotNull(simulator.GetPayment("F-BAD"));
    }

    [Fact]
    public async Task BadGatewayAfterProcessing_creates_the_order_then_answers_502_with_html()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.GetTokenAsync();
        simulator.FailNext(1, SimulatedFault.BadGatewayAfterProcessing, SimulatedEndpoint.Create);

        using HttpResponseMessage response = await client.PostAsync(GatewayClient.CreatePath, GatewayClient.CreateBody("F-502"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(simulator.GetPayment("F-502")); // the answer was lost, not the order
    }

    [Fact]
    public async Task Unauthorized_answers_401_even_to_a_valid_token()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.GetTokenAsync();
        simulator.FailNext(1, SimulatedFault.Unauthorized);

        using HttpResponseMessage refused = await client.PostAsync(GatewayClient.QueryPath, """{"merchant_order_id":"X"}""");
        using HttpResponseMessage served = await client.PostAsync(GatewayClient.QueryPath, """{"merchant_order_id":"X"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task Timeout_holds_the_response_back_for_the_configured_delay_after_processing_it()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(new() { TimeoutFaultDelay = TimeSpan.FromMilliseconds(300) }, TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.GetTokenAsync();
        simulator.FailNext(1, SimulatedFault.Timeout, SimulatedEndpoint.Create);
        var watch = Stopwatch.StartNew();

        using HttpResponseMessage response = await client.PostAsync(GatewayClient.CreatePath, GatewayClient.CreateBody("F-SLOW"));

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(250), $"answered after {watch.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(simulator.GetPayment("F-SLOW"));
    }

    [Fact]
    public async Task Timeout_is_abandoned_when_the_client_gives_up_and_does_not_hold_up_dispose()
    {
        var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken); // Default delay: 100 s.
        using var client = new GatewayClient(simulator, timeout: TimeSpan.FromMilliseconds(300));
        await client.GetTokenAsync();
        simulator.FailNext(1, SimulatedFault.Timeout);

        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => client.PostAsync(GatewayClient.CreatePath, GatewayClient.CreateBody("F-TO")));
        var watch = Stopwatch.StartNew();
        await simulator.DisposeAsync();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"dispose took {watch.Elapsed}");
        Assert.NotNull(simulator.GetPayment("F-TO")); // Processed: the client cannot know.
        JournalEntry entry = simulator.Journal.Single(e => e.Endpoint == SimulatedEndpoint.Create);
        Assert.Equal(SimulatedFault.Timeout, entry.Fault);
        Assert.Null(entry.StatusCode);
    }

    [Fact]
    public async Task Faults_are_counted_and_scoped_to_an_endpoint()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.GetTokenAsync();
        simulator.FailNext(2, SimulatedFault.ServerError, SimulatedEndpoint.Query);

        using HttpResponseMessage create = await client.PostAsync(GatewayClient.CreatePath, GatewayClient.CreateBody("F-SCOPE"));
        using HttpResponseMessage query1 = await client.PostAsync(GatewayClient.QueryPath, """{"merchant_order_id":"F-SCOPE"}""");
        using HttpResponseMessage query2 = await client.PostAsync(GatewayClient.QueryPath, """{"merchant_order_id":"F-SCOPE"}""");
        using HttpResponseMessage query3 = await client.PostAsync(GatewayClient.QueryPath, """{"merchant_order_id":"F-SCOPE"}""");

        Assert.Equal(HttpStatusCode.OK, create.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, query1.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, query2.StatusCode);
        Assert.Equal(HttpStatusCode.OK, query3.StatusCode);
    }

    [Fact]
    public async Task Faults_queue_up_in_order_and_can_be_cleared()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        simulator.FailNext(1, SimulatedFault.Unauthorized, SimulatedEndpoint.Auth);
        simulator.FailNext(1, SimulatedFault.ServerError, SimulatedEndpoint.Auth);
        simulator.FailNext(5, SimulatedFault.ConnectionReset, SimulatedEndpoint.Query);

        using HttpResponseMessage first = await client.AuthAsync();
        using HttpResponseMessage second = await client.AuthAsync();
        simulator.ClearFaults();
        using HttpResponseMessage third = await client.AuthAsync();
        using HttpResponseMessage query = await client.PostAsync(GatewayClient.QueryPath, """{"merchant_order_id":"none"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
    }

    [Fact]
    public async Task FailNext_rejects_a_count_below_one()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Throws<ArgumentOutOfRangeException>(() => simulator.FailNext(0, SimulatedFault.ServerError));
        Assert.Throws<ArgumentOutOfRangeException>(() => simulator.FailNext(1, (SimulatedFault)99));
    }
}
