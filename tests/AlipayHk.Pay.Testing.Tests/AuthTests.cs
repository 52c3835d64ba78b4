using System.Net;
using System.Text.Json;
using AlipayHk.Pay.Testing.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AlipayHk.Pay.Testing.Tests;

public sealed class AuthTests
{
    [Fact]
    public async Task Good_credentials_get_a_bare_token_response_with_the_configured_lifetime()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(new() { TokenLifetime = TimeSpan.FromSeconds(1800) }, TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);

        using HttpResponseMessage response = await client.AuthAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("access_token").GetString()));
        Assert.Equal(1800, json.RootElement.GetProperty("expires_in").GetInt64());
        Assert.False(json.RootElement.TryGetProperty("code", out _)); // No envelope on the token response.
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Bad_uid_or_secret_is_refused_with_401(bool wrongUid, bool wrongSecret)
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);

        using HttpResponseMessage response = await client.AuthAsync(wrongUid ? "12345" : null, wrongSecret ? "not-the-secret" : null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.NotEqual(0, json.RootElement.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Another_grant_type_is_refused()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);

        using HttpResponseMessage response = await client.AuthAsync(grantType: "password");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Uid_and_secret_can_be_chosen()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(new() { Uid = "39172931", ClientSecret = "6d0e8fa7b10c40c3a48c0c2be41cb178" }, TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);

        using HttpResponseMessage response = await client.AuthAsync("39172931", "6d0e8fa7b10c40c3a48c0c2be41cb178");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("39172931", simulator.Uid);
        Assert.Equal(simulator.ClientSecret, simulator.WebhookKey); // The SDK's fallback: the key defaults to the secret.
    }

    [Fact]
    public async Task Listens_on_loopback_only_on_a_free_port_or_the_one_asked_for()
    {
        await using var first = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        int port = FreePort();
        await using var second = await AlipayHkGatewaySimulator.StartAsync(new() { Port = port }, TestContext.Current.CancellationToken);

        Assert.Equal("127.0.0.1", first.BaseAddress.Host);
        Assert.Equal(new Uri($"http://127.0.0.1:{port}/"), second.BaseAddress);
        Assert.EndsWith("/", first.BaseAddress.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_settings_are_refused_at_start()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => AlipayHkGatewaySimulator.StartAsync(new() { CallbackTimeScale = -1 }, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(() => AlipayHkGatewaySimulator.StartAsync(new() { TokenLifetime = TimeSpan.Zero }, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(() => AlipayHkGatewaySimulator.StartAsync(new() { SignatureHeader = " " }, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(() => AlipayHkGatewaySimulator.StartAsync(new() { Port = 70000 }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Missing_or_unknown_bearer_token_gets_401()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator) { Token = "not-a-token" };

        using HttpResponseMessage unknown = await client.PostAsync(GatewayClient.CreatePath, GatewayClient.CreateBody("M1"));
        using HttpResponseMessage missing = await client.Http.PostAsync(GatewayClient.QueryPath, new StringContent("{}"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Empty(simulator.Payments);
    }

    [Fact]
    public async Task Token_expires_after_its_lifetime_on_the_simulators_clock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(new() { TimeProvider = clock, TokenLifetime = TimeSpan.FromSeconds(3600) }, TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.GetTokenAsync();

        clock.Advance(TimeSpan.FromSeconds(3599));
        using HttpResponseMessage stillValid = await client.PostAsync(GatewayClient.QueryPath, """{"merchant_order_id":"M1"}""");
        clock.Advance(TimeSpan.FromSeconds(1));
        using HttpResponseMessage expired = await client.PostAsync(GatewayClient.QueryPath, """{"merchant_order_id":"M1"}""");

        Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task ExpireTokens_invalidates_every_issued_token_but_new_ones_work()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.GetTokenAsync();

        simulator.ExpireTokens();
        using HttpResponseMessage refused = await client.PostAsync(GatewayClient.CreatePath, GatewayClient.CreateBody("M1"));
        await client.GetTokenAsync();
        using HttpResponseMessage accepted = await client.PostAsync(GatewayClient.CreatePath, GatewayClient.CreateBody("M1"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
