using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AlipayHk.Pay.Testing.Tests.Support;

/// <summary>Raw HTTP against the simulator, to check the wire exactly as a client without the SDK sees it.</summary>
internal sealed class GatewayClient : IDisposable
{
    public const string CreatePath = "mch-api/v1/pa/payment_intents/create";
    public const string QueryPath = "mch-api/v1/pa/payment_intents/query";

    private readonly string _uid;
    private readonly string _secret;

    /// <summary>A client of <paramref name="merchant"/>, or of the default merchant.</summary>
    public GatewayClient(AlipayHkGatewaySimulator simulator, TimeSpan? timeout = null, SimulatedMerchant? merchant = null)
    {
        _uid = merchant?.Uid ?? simulator.Uid;
        _secret = merchant?.ClientSecret ?? simulator.ClientSecret;
        Http = new HttpClient { BaseAddress = simulator.BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    public string? Token { get; set; }

    public static string CreateBody(
        string merchantOrderId,
        string amount = "\"105.00\"",
        string currency = "\"HKD\"",
        string type = "\"alipayhk\"",
        string flow = "\"csb_qrcode\"",
        string wallet = "\"ALIPAYHK\"",
        string description = "\"Instore Payment\"",
        string? notifyUrl = null) =>
        "{\"amount\":" + amount + ",\"currency\":" + currency + ",\"merchant_order_id\":\"" + merchantOrderId + "\""
        + ",\"payment_method\":{\"type\":" + type + ",\"alipayhk\":{\"flow\":" + flow + ",\"payment_method\":" + wallet + "}}"
        + ",\"description\":" + description
        + (notifyUrl is null ? string.Empty : ",\"notify_url\":\"" + notifyUrl + "\"")
        + "}";

    public Task<HttpResponseMessage> AuthAsync(string? uid = null, string? secret = null, string grantType = "client_credentials") =>
        Http.GetAsync(
            $"mch-api/v1/auth?grant_type={grantType}&uid={Uri.EscapeDataString(uid ?? _uid)}&client_secret={Uri.EscapeDataString(secret ?? _secret)}",
            TestContext.Current.CancellationToken);

    public async Task<string> GetTokenAsync()
    {
        using HttpResponseMessage response = await AuthAsync();
        response.EnsureSuccessStatusCode();
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Token = json.RootElement.GetProperty("access_token").GetString()!;
        return Token;
    }

    public async Task<HttpResponseMessage> PostAsync(string path, string body)
    {
        Token ??= await GetTokenAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return await Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Posts and parses the envelope; fails the test unless the status is 200.</summary>
    public async Task<JsonElement> PostEnvelopeAsync(string path, string body)
    {
        using HttpResponseMessage response = await PostAsync(path, body);
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"HTTP {(int)response.StatusCode}: {text}");
        using JsonDocument json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }

    public Task<JsonElement> CreateAsync(string merchantOrderId, string? notifyUrl = null) =>
        PostEnvelopeAsync(CreatePath, CreateBody(merchantOrderId, notifyUrl: notifyUrl));

    public Task<JsonElement> QueryAsync(string? orderId = null, string? merchantOrderId = null) =>
        PostEnvelopeAsync(
            QueryPath,
            orderId is not null ? $$"""{"order_id":"{{orderId}}"}""" : $$"""{"merchant_order_id":"{{merchantOrderId}}"}""");

    public void Dispose() => Http.Dispose();
}
