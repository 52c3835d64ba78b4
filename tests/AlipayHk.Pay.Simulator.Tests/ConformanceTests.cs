using System.Text.Json;
using System.Text.RegularExpressions;
using AlipayHk.Pay.Simulator.Tests.Support;
using AlipayHk.Pay.Testing.Tests.Support;

namespace AlipayHk.Pay.Simulator.Tests;

/// <summary>
/// The standalone server speaks the gateway's API as the SDK uses it, checked with raw HTTP against the published
/// example requests (alipayhk-instore-qrcode.txt) and the published response shapes.
/// </summary>
public sealed partial class ConformanceTests
{
    [Fact]
    public async Task The_published_create_request_gets_the_published_response_shape()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var server = await RunningServer.StartAsync();
        string token = await server.TokenAsync();

        (int status, JsonElement created, string text) = await server.PostAsync(
            "/mch-api/v1/pa/payment_intents/create", PublishedRequests.CreateWithNotifyUrl(receiver.NotifyUrl), token);

        Assert.Equal(200, status);
        Assert.Equal(["code", "data", "message", "rid"], created.EnumerateObject().Select(p => p.Name));
        Assert.Equal((0, "ok"), (created.GetProperty("code").GetInt32(), created.GetProperty("message").GetString()));
        Assert.Matches("^[0-9a-f]{32}$", created.GetProperty("rid").GetString());
        JsonElement data = created.GetProperty("data");
        Assert.Equal(
            ["order_id", "merchant_order_id", "amount", "currency", "create_time", "next_action", "status"],
            data.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("P9297895081903", "1", "HKD", "PENDING"), (Text(data, "merchant_order_id"), Text(data, "amount"), Text(data, "currency"), Text(data, "status")));
        Assert.Matches(NineDigitTime(), Text(data, "create_time"));
        JsonElement next = data.GetProperty("next_action");
        Assert.Equal(["type", "url"], next.EnumerateObject().Select(p => p.Name));
        Assert.Equal("render_qrcode", Text(next, "type"));
        Assert.Equal(new Uri(server.BaseAddress, "simulator/pay/" + Text(data, "order_id")), new Uri(Text(next, "url")));
        Assert.DoesNotContain(" ", text, StringComparison.Ordinal); // Compact, as the gateway answers.
    }

    [Fact]
    public async Task The_published_query_request_and_the_created_order_get_the_published_shapes()
    {
        await using var server = await RunningServer.StartAsync();
        string token = await server.TokenAsync();
        (_, JsonElement created, _) = await server.PostAsync("/mch-api/v1/pa/payment_intents/create", PublishedRequests.CreateWithNotifyUrl(new Uri("http://127.0.0.1:9/unused")), token);
        string orderId = Text(created.GetProperty("data"), "order_id");

        // Verbatim, the example names an order_id the gateway never gave out (P…): the answer is "not found", in the envelope.
        (int verbatimStatus, JsonElement verbatim, _) = await server.PostAsync("/mch-api/v1/pa/payment_intents/query", PublishedRequests.Query, token);
        (_, JsonElement pending, _) = await server.PostAsync(
            "/mch-api/v1/pa/payment_intents/query", PublishedRequests.Query.Replace("P991289984923795789123", orderId, StringComparison.Ordinal), token);
        (int paidStatus, _, _) = await server.PostAsync($"/simulator/api/payments/{orderId}/pay");
        (_, JsonElement paid, _) = await server.PostAsync("/mch-api/v1/pa/payment_intents/query", """{"merchant_order_id":"P9297895081903"}""", token);

        Assert.Equal(200, verbatimStatus);
        Assert.Equal(["code", "message", "rid"], verbatim.EnumerateObject().Select(p => p.Name));
        Assert.Equal((40004, "order not found"), (verbatim.GetProperty("code").GetInt32(), verbatim.GetProperty("message").GetString()));
        Assert.Equal(["order_id", "merchant_order_id", "amount", "currency", "status", "create_time"], pending.GetProperty("data").EnumerateObject().Select(p => p.Name));
        Assert.Equal(200, paidStatus);
        JsonElement data = paid.GetProperty("data");
        Assert.Equal(["order_id", "merchant_order_id", "amount", "currency", "status", "create_time", "pay_time"], data.EnumerateObject().Select(p => p.Name));
        Assert.Equal((orderId, "SUCCEEDED"), (Text(data, "order_id"), Text(data, "status")));
        Assert.Matches(NineDigitTime(), Text(data, "pay_time"));
    }

    [Fact]
    public async Task Auth_answers_a_bare_token_and_refuses_bad_credentials_and_tokens_with_401()
    {
        await using var server = await RunningServer.StartAsync();

        (int ok, JsonElement token, _) = await server.GetAsync("/mch-api/v1/auth?grant_type=client_credentials&uid=10000001&client_secret=simulator-client-secret");
        (int wrong, JsonElement refused, _) = await server.GetAsync("/mch-api/v1/auth?grant_type=client_credentials&uid=10000001&client_secret=nope");
        (int noToken, _, _) = await server.PostAsync("/mch-api/v1/pa/payment_intents/query", """{"merchant_order_id":"X"}""", token: "not-a-token");

        Assert.Equal(200, ok);
        Assert.Equal(["access_token", "expires_in"], token.EnumerateObject().Select(p => p.Name));
        Assert.Equal(3600, token.GetProperty("expires_in").GetInt32());
        Assert.Equal((401, 40101), (wrong, refused.GetProperty("code").GetInt32()));
        Assert.Equal(401, noToken);
    }

    [Fact]
    public async Task Callbacks_are_compact_signed_and_retried_on_the_gateways_schedule_scaled()
    {
        await using var receiver = await CallbackReceiver.StartAsync(failures: 1);
        await using var server = await RunningServer.StartAsync("--callback-time-scale", "0.001", "--webhook-key", "notify-key-1", "--signature-header", "X-Signature");
        string token = await server.TokenAsync();
        (_, JsonElement created, _) = await server.PostAsync("/mch-api/v1/pa/payment_intents/create", PublishedRequests.CreateWithNotifyUrl(receiver.NotifyUrl), token);
        string orderId = Text(created.GetProperty("data"), "order_id");

        (_, JsonElement paid, _) = await server.PostAsync($"/simulator/api/payments/{orderId}/pay");
        await server.Simulator.WaitForCallbacksSettledAsync(orderId, Timeouts.Bounded());
        (_, JsonElement callbacks, _) = await server.GetAsync($"/simulator/api/payments/{orderId}/callbacks");

        Assert.Equal(500, paid.GetProperty("callbacks")[0].GetProperty("status_code").GetInt32()); // "pay" answers after the first attempt.
        Assert.Equal([false, true], callbacks.EnumerateArray().Select(c => c.GetProperty("accepted").GetBoolean()));
        Assert.Equal(2, receiver.Received.Count);
        ReceivedCallback callback = receiver.Received[1];
        Assert.Equal($$$"""{"notify_type":"payment_success","data":{"order_id":"{{{orderId}}}","merchant_order_id":"P9297895081903"}}""", callback.BodyText);
        Assert.Equal(WebhookSigning.Sign(callback.Body, "notify-key-1"), callback.Headers["X-Signature"]);
    }

    [Fact]
    public async Task A_fault_injected_through_the_control_api_hits_the_next_request_to_that_endpoint()
    {
        await using var server = await RunningServer.StartAsync();
        string token = await server.TokenAsync();

        (int injected, JsonElement pending, _) = await server.PostAsync("/simulator/api/faults", """{"fault":"server_error","endpoint":"create","count":1}""");
        (int query, _, _) = await server.PostAsync("/mch-api/v1/pa/payment_intents/query", """{"merchant_order_id":"NONE"}""", token);
        (int failed, _, string html) = await server.PostAsync("/mch-api/v1/pa/payment_intents/create", PublishedRequests.CreateWithNotifyUrl(new Uri("http://127.0.0.1:9/")), token);
        (int retried, _, _) = await server.PostAsync("/mch-api/v1/pa/payment_intents/create", PublishedRequests.CreateWithNotifyUrl(new Uri("http://127.0.0.1:9/")), token);

        Assert.Equal(200, injected);
        Assert.Equal("""[{"fault":"server_error","endpoint":"create","remaining":1}]""", pending.GetRawText());
        Assert.Equal(200, query); // Another endpoint: untouched.
        Assert.Equal(503, failed);
        Assert.Contains("503 Service Temporarily Unavailable", html, StringComparison.Ordinal);
        Assert.Equal(200, retried);
    }

    private static string Text(JsonElement parent, string name) => parent.GetProperty(name).GetString()!;

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}\+08:00$")]
    private static partial Regex NineDigitTime();
}
