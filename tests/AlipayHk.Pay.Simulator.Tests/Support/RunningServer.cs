using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AlipayHk.Pay.Simulator.Hosting;

namespace AlipayHk.Pay.Simulator.Tests.Support;

/// <summary>
/// The real server app, started in-process on a free port of 127.0.0.1 with the command line a user would type, and
/// a raw <see cref="HttpClient"/> on it: no SDK, as a test suite in another language would see it.
/// </summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private RunningServer(SimulatorServer server, string banner)
    {
        Server = server;
        Banner = banner;
        Http = new HttpClient { BaseAddress = server.ListeningAddresses[0], Timeout = TimeSpan.FromSeconds(30) };
    }

    public SimulatorServer Server { get; }

    public AlipayHk.Pay.Testing.AlipayHkGatewaySimulator Simulator => Server.Simulator;

    /// <summary>What the server printed at start.</summary>
    public string Banner { get; }

    public HttpClient Http { get; }

    public Uri BaseAddress => Server.BaseAddress;

    /// <summary>Starts the server with <paramref name="args"/>, after <c>--urls http://127.0.0.1:0</c> (a later <c>--urls</c> wins).</summary>
    public static async Task<RunningServer> StartAsync(params string[] args) => await StartAsync(null, args);

    public static async Task<RunningServer> StartAsync(IReadOnlyDictionary<string, string?>? configuration, params string[] args)
    {
        var banner = new StringWriter();
        var quiet = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" };
        foreach ((string key, string? value) in configuration ?? new Dictionary<string, string?>())
        {
            quiet[key] = value;
        }

        (SimulatorServer? server, string? error, _) = await SimulatorServer.StartAsync(
            ["--urls", "http://127.0.0.1:0", .. args], banner, quiet, TestContext.Current.CancellationToken);
        Assert.True(server is not null, error);
        return new RunningServer(server, banner.ToString());
    }

    public async Task<string> TokenAsync(string uid = "10000001", string secret = "simulator-client-secret")
    {
        using HttpResponseMessage response = await Http.GetAsync(
            $"mch-api/v1/auth?grant_type=client_credentials&uid={uid}&client_secret={secret}", TestContext.Current.CancellationToken);
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, text);
        using JsonDocument json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>POSTs <paramref name="body"/> as JSON, with a bearer token when one is given.</summary>
    public async Task<(int Status, JsonElement Json, string Text)> PostAsync(string path, string? body = null, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using HttpResponseMessage response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        return await ReadAsync(response);
    }

    public async Task<(int Status, JsonElement Json, string Text)> GetAsync(string path)
    {
        using HttpResponseMessage response = await Http.GetAsync(path.TrimStart('/'), TestContext.Current.CancellationToken);
        return await ReadAsync(response);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }

    private static async Task<(int Status, JsonElement Json, string Text)> ReadAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        JsonElement json = default;
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            using JsonDocument document = JsonDocument.Parse(text);
            json = document.RootElement.Clone();
        }

        return ((int)response.StatusCode, json, text);
    }
}
