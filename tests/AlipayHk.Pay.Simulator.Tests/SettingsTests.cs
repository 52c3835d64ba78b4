using System.Text.Json;
using AlipayHk.Pay.Simulator.Cli;
using AlipayHk.Pay.Simulator.Hosting;
using AlipayHk.Pay.Simulator.Tests.Support;
using AlipayHk.Pay.Testing;
using Microsoft.Extensions.Configuration;

namespace AlipayHk.Pay.Simulator.Tests;

/// <summary>Flags and environment variables, the banner, and bad settings refused before anything starts.</summary>
public sealed class SettingsTests
{
    [Fact]
    public async Task The_banner_says_what_a_client_needs_and_the_server_binds_to_loopback()
    {
        await using var server = await RunningServer.StartAsync();

        Assert.Equal("127.0.0.1", server.BaseAddress.Host);
        Assert.Contains($"  Base address   {server.BaseAddress}", server.Banner, StringComparison.Ordinal);
        Assert.Contains($"  Control API    {server.BaseAddress}simulator/api/", server.Banner, StringComparison.Ordinal);
        Assert.Contains("Merchant \"default\": uid 10000001, client secret simulator-client-secret, webhook key simulator-client-secret", server.Banner, StringComparison.Ordinal);
        foreach (string line in new[] { $"BaseAddress={server.BaseAddress}", "Uid=10000001", "ClientSecret=simulator-client-secret", "WebhookKey=simulator-client-secret", "WebhookSignatureHeader=Signature" })
        {
            Assert.Contains("  export AlipayHkPay__" + line + Environment.NewLine, server.Banner, StringComparison.Ordinal);
        }

        Assert.Equal(SimulatorArguments.DefaultUrls, (await SettingsOf()).Urls.Single());
    }

    [Fact]
    public async Task Flags_set_the_gateways_behaviour_and_win_over_environment_variables()
    {
        SimulatorSettings settings = await SettingsOf(
            new() { ["Simulator:Uid"] = "from-env", ["Simulator:CallbackTimeScale"] = "0.5" },
            "--uid", "30000003", "--client-secret=s3", "--webhook-key", "k3", "--signature-header", "X-Sig",
            "--auto-pay-after", "3s", "--payment-timeout", "2m", "--callback-time-scale", "0.01", "--urls", "http://127.0.0.1:6001;http://[::1]:6001");

        AlipayHkGatewaySimulatorOptions options = settings.Options;
        Assert.Equal(("30000003", "s3", "k3", "X-Sig"), (options.Uid, options.ClientSecret, options.WebhookKey, options.SignatureHeader));
        Assert.Equal((TimeSpan.FromSeconds(3), TimeSpan.FromMinutes(2), 0.01), (options.AutoPayAfter, options.PaymentTimeout, options.CallbackTimeScale));
        Assert.Equal(["http://127.0.0.1:6001", "http://[::1]:6001"], settings.Urls);
    }

    [Fact]
    public async Task Several_merchants_come_from_repeated_flags_or_from_environment_variables()
    {
        SimulatorSettings byFlags = await SettingsOf(null, "--merchant", "shop-b:20000002:secret-b:key-b", "--merchant=shop-c");
        SimulatorSettings byEnvironment = await SettingsOf(new()
        {
            ["Simulator:Merchants:0:Name"] = "shop-b",
            ["Simulator:Merchants:0:Uid"] = "20000002",
            ["Simulator:Merchants:1:Name"] = "shop-c",
        });

        Assert.Equal(
            [("shop-b", "20000002", "secret-b", "key-b"), ("shop-c", null, null, null)],
            byFlags.Options.Merchants.Select(m => (m.Name, m.Uid, m.ClientSecret, m.WebhookKey)));
        Assert.Equal([("shop-b", "20000002"), ("shop-c", null)], byEnvironment.Options.Merchants.Select(m => (m.Name, m.Uid)));
    }

    [Fact]
    public async Task Each_merchant_of_the_server_gets_its_own_tokens_and_payments()
    {
        await using var server = await RunningServer.StartAsync(
            new Dictionary<string, string?> { ["Simulator:Merchants:0:Name"] = "shop-b", ["Simulator:Merchants:0:Uid"] = "20000002", ["Simulator:Merchants:0:ClientSecret"] = "secret-b" });
        string tokenA = await server.TokenAsync();
        string tokenB = await server.TokenAsync("20000002", "secret-b");
        string orderId = await ControlApiTests.CreateAsync(server, tokenB, "SHOP-B-1");

        (_, JsonElement byB, _) = await server.PostAsync("/mch-api/v1/pa/payment_intents/query", $$"""{"order_id":"{{orderId}}"}""", tokenB);
        (_, JsonElement byA, _) = await server.PostAsync("/mch-api/v1/pa/payment_intents/query", $$"""{"order_id":"{{orderId}}"}""", tokenA);
        (_, JsonElement listed, _) = await server.GetAsync("/simulator/api/payments?merchant=shop-b");

        Assert.Equal(0, byB.GetProperty("code").GetInt32());
        Assert.Equal(40004, byA.GetProperty("code").GetInt32());
        Assert.Equal("shop-b", Assert.Single(listed.EnumerateArray()).GetProperty("merchant").GetString());
        Assert.Contains("Merchant \"shop-b\": uid 20000002, client secret (as passed in Simulator__Merchants__0__ClientSecret, not printed), webhook key ", server.Banner, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-b", server.Banner, StringComparison.Ordinal); // Passed in: the banner names the variable instead.
    }

    [Fact]
    public async Task The_public_url_is_what_qr_codes_and_the_banner_show()
    {
        // 127.0.0.2: an address of this machine (loopback) that the server does not listen on, and no name to look up.
        await using var server = await RunningServer.StartAsync("--public-url", "http://127.0.0.2:8080");
        string orderId = await ControlApiTests.CreateAsync(server, await server.TokenAsync(), "PUBLIC-1");

        (_, JsonElement payment, _) = await server.GetAsync($"/simulator/api/payments/{orderId}");

        Assert.Equal($"http://127.0.0.2:8080/simulator/pay/{orderId}", payment.GetProperty("qr_code_url").GetString());
        Assert.Contains("  Base address   http://127.0.0.2:8080/", server.Banner, StringComparison.Ordinal);
        Assert.Contains("  Listening on   http://127.0.0.1:", server.Banner, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_address_already_in_use_is_refused_with_exit_code_1()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        int port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        (SimulatorServer? server, string? error, int exitCode) = await SimulatorServer.StartAsync(
            ["--urls", $"http://127.0.0.1:{port}"], TextWriter.Null, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "None" }, TestContext.Current.CancellationToken);

        Assert.Null(server);
        Assert.Equal(1, exitCode);
        Assert.StartsWith($"Could not listen on http://127.0.0.1:{port}: ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--auto-pay-after", "soon", "--auto-pay-after (Simulator__AutoPayAfter): 'soon' is not a positive duration")]
    [InlineData("--payment-timeout", "0", "--payment-timeout (Simulator__PaymentTimeout): '0' is not a positive duration")]
    [InlineData("--callback-time-scale", "fast", "--callback-time-scale (Simulator__CallbackTimeScale): 'fast' is not a number")]
    [InlineData("--public-url", "pos.local", "--public-url (Simulator__PublicUrl): 'pos.local' is not an absolute http(s) URL")]
    [InlineData("--merchant", "default", "Merchants[0].Name 'default' is taken")]
    [InlineData("--merchant", "a:1:2:3:4", "--merchant 'a:1:2:3:4' is not name[:uid[:client-secret[:webhook-key]]]")]
    [InlineData("--refunds", "on", "Unknown option '--refunds'")]
    [InlineData("--uid", null, "--uid needs a value.")]
    public async Task Bad_settings_are_refused_before_anything_listens_naming_the_flag(string flag, string? value, string message)
    {
        string[] args = value is null ? [flag] : [flag, value];

        (SimulatorServer? server, string? error, int exitCode) = await SimulatorServer.StartAsync(args, TextWriter.Null, null, TestContext.Current.CancellationToken);

        Assert.Null(server);
        Assert.Equal(SimulatorServer.UsageExitCode, exitCode);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("3s", 3_000)]
    [InlineData("1.5S", 1_500)]
    [InlineData("2m", 120_000)]
    [InlineData("10", 10_000)]
    [InlineData("soon", -1)]
    [InlineData("-1s", -1)]
    [InlineData("2d", -1)]
    [InlineData("1441m", -1)]
    public void Durations_are_milliseconds_seconds_minutes_or_plain_seconds_up_to_a_day(string text, int milliseconds)
    {
        bool parsed = Durations.TryParse(text, out TimeSpan duration);

        Assert.Equal(milliseconds >= 0, parsed);
        Assert.Equal(milliseconds >= 0 ? TimeSpan.FromMilliseconds(milliseconds) : TimeSpan.Zero, duration);
    }

    [Fact]
    public void Help_is_asked_for_with_h_or_help_and_lists_every_flag()
    {
        Assert.True(SimulatorArguments.Parse(["--uid", "1", "--help"]).Help);
        Assert.True(SimulatorArguments.Parse(["-h"]).Help);
        foreach (string flag in new[] { "--urls", "--uid", "--client-secret", "--webhook-key", "--signature-header", "--auto-pay-after", "--payment-timeout", "--callback-time-scale", "--merchant", "--public-url" })
        {
            Assert.Contains(flag + " <", SimulatorArguments.Usage, StringComparison.Ordinal);
        }

        Assert.All(SimulatorArguments.Flags.Where(flag => flag != "--help"), flag => Assert.Contains(flag + " <", SimulatorArguments.Usage, StringComparison.Ordinal));
    }

    private static Task<SimulatorSettings> SettingsOf() => SettingsOf(null);

    private static Task<SimulatorSettings> SettingsOf(Dictionary<string, string?>? environment, params string[] args)
    {
        (Dictionary<string, string?> flags, _, string? error) = SimulatorArguments.Parse(args);
        Assert.Null(error);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(environment ?? [])
            .AddInMemoryCollection(flags)
            .Build();
        (SimulatorSettings? settings, string? settingsError) = SimulatorSettings.Read(configuration);
        Assert.True(settings is not null, settingsError);
        return Task.FromResult(settings);
    }
}
