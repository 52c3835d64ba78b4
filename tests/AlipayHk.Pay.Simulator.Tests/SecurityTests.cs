using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AlipayHk.Pay.Simulator.Hosting;
using AlipayHk.Pay.Simulator.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace AlipayHk.Pay.Simulator.Tests;

/// <summary>
/// No web page the tester has open can drive the simulator (issue 18): beyond loopback it needs a control token to
/// start; a foreign Host (DNS rebinding), a foreign Origin or a form's content type is refused; with a token, the control
/// API and the dashboard need it; secrets that were passed in are not printed again.
/// </summary>
public sealed class SecurityTests
{
    private const string Token = "test-control-token-4f1c9a";
    private const string Fault = """{"fault":"server_error","endpoint":"create","count":1}""";

    [Theory]
    [InlineData("--urls", "http://0.0.0.0:5390", "--urls http://0.0.0.0:5390 reaches beyond this machine")]
    [InlineData("--urls", "http://[::]:5390", "--urls http://[::]:5390 reaches beyond this machine")]
    [InlineData("--public-url", "http://pos.example:5380", "--public-url http://pos.example:5380 reaches beyond this machine")]
    public async Task Beyond_loopback_without_a_control_token_it_refuses_to_start_with_exit_64_saying_what_to_pass(string flag, string value, string message)
    {
        (SimulatorServer? server, string? error, int exitCode) = await SimulatorServer.StartAsync([flag, value], TextWriter.Null, null, TestContext.Current.CancellationToken);
        await using (server)
        {
            Assert.Null(server);
            Assert.Equal(64, exitCode);
            Assert.StartsWith(message, error, StringComparison.Ordinal);
            Assert.Contains("Simulator__ControlToken", error, StringComparison.Ordinal);
            Assert.Contains("--control-token", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Beyond_loopback_with_a_control_token_the_settings_are_accepted_and_a_short_token_is_refused_without_echoing_it()
    {
        (SimulatorSettings? accepted, _) = Settings(["--urls", "http://0.0.0.0:5390", "--control-token", Token]);
        (SimulatorSettings? refused, string? error) = Settings(["--urls", "http://0.0.0.0:5390", "--control-token", "short-secret"]);

        Assert.NotNull(accepted?.ControlToken);
        Assert.Null(refused);
        Assert.StartsWith("--control-token (Simulator__ControlToken) is too short", error, StringComparison.Ordinal);
        Assert.DoesNotContain("short-secret", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_foreign_host_is_refused_so_dns_rebinding_reads_no_secret_and_reaches_no_endpoint()
    {
        await using var server = await RunningServer.StartAsync();
        int port = server.BaseAddress.Port;

        (HttpStatusCode merchants, string body) = await SendAsync(server, HttpMethod.Get, "simulator/api/merchants", host: $"evil.example:{port}");
        (HttpStatusCode gateway, _) = await SendAsync(server, HttpMethod.Get, "mch-api/v1/auth?grant_type=client_credentials&uid=10000001&client_secret=simulator-client-secret", host: "evil.example");
        (HttpStatusCode localhost, _) = await SendAsync(server, HttpMethod.Get, "simulator/api/health", host: $"localhost:{port}");
        (HttpStatusCode loopback, _) = await SendAsync(server, HttpMethod.Get, "simulator/api/health", host: $"127.0.0.1:{port}");

        Assert.Equal(HttpStatusCode.BadRequest, merchants);
        Assert.StartsWith("Host 'evil.example:", Error(body), StringComparison.Ordinal);
        Assert.DoesNotContain("simulator-client-secret", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, gateway);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (localhost, loopback));
        Assert.Empty(server.Simulator.Journal); // Refused before the gateway saw it.
    }

    [Fact]
    public async Task A_state_changing_call_from_a_foreign_origin_is_refused_and_changes_nothing()
    {
        await using var server = await RunningServer.StartAsync();
        string orderId = await ControlApiTests.CreateAsync(server, await server.TokenAsync(), "ORIGIN-1");

        (HttpStatusCode fault, string body) = await SendAsync(server, HttpMethod.Post, "simulator/api/faults", Fault, "application/json", origin: "http://evil.example");
        (HttpStatusCode pay, _) = await SendAsync(server, HttpMethod.Post, $"simulator/api/payments/{orderId}/pay", origin: "http://evil.example");
        (HttpStatusCode payPage, _) = await SendAsync(server, HttpMethod.Post, $"simulator/pay/{orderId}", "", "application/x-www-form-urlencoded", origin: "null");
        (HttpStatusCode fetchMetadata, _) = await SendAsync(server, HttpMethod.Post, "simulator/api/reset", fetchSite: "cross-site");

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (fault, pay, payPage, fetchMetadata));
        Assert.Contains("another site (http://evil.example)", Error(body), StringComparison.Ordinal);
        Assert.Empty(server.Simulator.PendingFaults);
        Assert.Equal(PaymentStatus.Pending, server.Simulator.GetPayment(orderId)!.Status);
    }

    [Fact]
    public async Task The_shoppers_pay_page_works_from_its_own_origin()
    {
        await using var server = await RunningServer.StartAsync();
        string orderId = await ControlApiTests.CreateAsync(server, await server.TokenAsync(), "PAGE-1");
        string origin = server.BaseAddress.GetLeftPart(UriPartial.Authority);

        (HttpStatusCode paid, string page) = await SendAsync(server, HttpMethod.Post, $"simulator/pay/{orderId}", "", "application/x-www-form-urlencoded", origin: origin, fetchSite: "same-origin");

        Assert.Equal(HttpStatusCode.OK, paid);
        Assert.Contains("<strong>SUCCEEDED</strong>", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task A_control_call_with_a_body_a_cross_site_form_can_send_is_refused_even_without_an_origin(string contentType)
    {
        await using var server = await RunningServer.StartAsync();

        (HttpStatusCode status, string body) = await SendAsync(server, HttpMethod.Post, "simulator/api/faults", Fault, contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Contains("application/json", body, StringComparison.Ordinal);
        Assert.Empty(server.Simulator.PendingFaults);
    }

    [Fact]
    public async Task With_a_control_token_the_control_api_needs_the_bearer_and_the_gateway_and_pay_page_do_not()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Simulator:ControlToken"] = Token });
        string orderId = await ControlApiTests.CreateAsync(server, await server.TokenAsync(), "TOKEN-1"); // The gateway: its own credentials only.

        (HttpStatusCode without, string refused) = await SendAsync(server, HttpMethod.Get, "simulator/api/merchants");
        (HttpStatusCode wrong, _) = await SendAsync(server, HttpMethod.Post, $"simulator/api/payments/{orderId}/pay", bearer: "not-the-control-token");
        (HttpStatusCode stillPending, _) = await SendAsync(server, HttpMethod.Get, $"simulator/pay/{orderId}");
        (HttpStatusCode merchants, string secrets) = await SendAsync(server, HttpMethod.Get, "simulator/api/merchants", bearer: Token);
        (HttpStatusCode paid, _) = await SendAsync(server, HttpMethod.Post, $"simulator/api/payments/{orderId}/pay", bearer: Token);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (without, wrong));
        Assert.Contains("control token", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("simulator-client-secret", refused, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, refused, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, stillPending);
        Assert.Equal(HttpStatusCode.OK, merchants);
        Assert.Contains("\"client_secret\":\"simulator-client-secret\"", secrets, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, paid);
        Assert.Equal(PaymentStatus.Succeeded, server.Simulator.GetPayment(orderId)!.Status);
    }

    [Fact]
    public async Task With_a_control_token_the_dashboard_asks_for_it_once_and_keeps_an_httponly_samesite_cookie()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Simulator:ControlToken"] = Token });
        using var browser = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        string origin = server.BaseAddress.GetLeftPart(UriPartial.Authority);

        using HttpResponseMessage signInPage = await browser.GetAsync(string.Empty, TestContext.Current.CancellationToken);
        using HttpResponseMessage wrong = await browser.SendAsync(SignIn("not-the-control-token", origin), TestContext.Current.CancellationToken);
        using HttpResponseMessage signedIn = await browser.SendAsync(SignIn(Token, origin), TestContext.Current.CancellationToken);
        string cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"));
        string pair = cookie.Split(';')[0];
        using var dashboard = new HttpRequestMessage(HttpMethod.Get, string.Empty) { Headers = { { "Cookie", pair } } };
        using HttpResponseMessage page = await browser.SendAsync(dashboard, TestContext.Current.CancellationToken);
        using var payments = new HttpRequestMessage(HttpMethod.Get, "simulator/api/payments") { Headers = { { "Cookie", pair } } };
        using HttpResponseMessage listed = await browser.SendAsync(payments, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, signInPage.StatusCode);
        Assert.Contains("name=\"control_token\"", await signInPage.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.Location?.OriginalString);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Token, cookie, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>Alipay HK gateway simulator</title>", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
    }

    [Fact]
    public async Task The_banner_prints_fake_defaults_but_names_the_flags_and_variables_of_secrets_passed_in()
    {
        await using var server = await RunningServer.StartAsync(
            new Dictionary<string, string?> { ["Simulator:WebhookKey"] = "passed-webhook-key", ["Simulator:ControlToken"] = Token },
            "--client-secret", "passed-client-secret");

        Assert.Contains("client secret (as passed in --client-secret, not printed), webhook key (as passed in Simulator__WebhookKey, not printed)", server.Banner, StringComparison.Ordinal);
        Assert.Contains("  export AlipayHkPay__ClientSecret=\"<the value passed in --client-secret>\"", server.Banner, StringComparison.Ordinal);
        Assert.Contains("  export AlipayHkPay__WebhookKey=\"$Simulator__WebhookKey\"", server.Banner, StringComparison.Ordinal);
        Assert.Contains("Access         the control token of Simulator__ControlToken (not printed)", server.Banner, StringComparison.Ordinal);
        Assert.Contains("Credentials you passed are not printed", server.Banner, StringComparison.Ordinal);
        Assert.DoesNotContain("the simulator's own fake credentials", server.Banner, StringComparison.Ordinal);
        foreach (string secret in new[] { "passed-client-secret", "passed-webhook-key", Token })
        {
            Assert.DoesNotContain(secret, server.Banner, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_real_process_with_a_token_in_its_environment_never_prints_or_logs_it()
    {
        (ServerProcess process, Uri baseAddress) = await ServerProcess.StartAsync(
            new Dictionary<string, string> { ["Simulator__ControlToken"] = Token, ["Logging__LogLevel__Default"] = "Trace" },
            "--urls", "http://127.0.0.1:0");
        await using (process)
        {
            using var http = new HttpClient { BaseAddress = baseAddress };
            using var signIn = SignIn(Token, baseAddress.GetLeftPart(UriPartial.Authority));
            using HttpResponseMessage signedIn = await http.SendAsync(signIn, TestContext.Current.CancellationToken);
            using var call = new HttpRequestMessage(HttpMethod.Post, "simulator/api/reset") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Token) } };
            using HttpResponseMessage reset = await http.SendAsync(call, TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
            Assert.Contains("Access         the control token of Simulator__ControlToken (not printed)", process.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, process.Output, StringComparison.Ordinal);
        }
    }

    private static string? Error(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.GetProperty("error").GetString();
    }

    private static HttpRequestMessage SignIn(string token, string origin) => new(HttpMethod.Post, "simulator/sign-in")
    {
        Content = new FormUrlEncodedContent([new("control_token", token)]),
        Headers = { { "Origin", origin } },
    };

    private static (SimulatorSettings? Settings, string? Error) Settings(string[] args)
    {
        (Dictionary<string, string?> flags, _, string? error) = Cli.SimulatorArguments.Parse(args);
        Assert.Null(error);
        return SimulatorSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(flags).Build(), flags);
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(
        RunningServer server,
        HttpMethod method,
        string path,
        string? body = null,
        string? contentType = null,
        string? host = null,
        string? origin = null,
        string? fetchSite = null,
        string? bearer = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
        }

        request.Headers.Host = host;
        foreach ((string name, string? value) in new[] { ("Origin", origin), ("Sec-Fetch-Site", fetchSite) })
        {
            if (value is not null)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using HttpResponseMessage response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
