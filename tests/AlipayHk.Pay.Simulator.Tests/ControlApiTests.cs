using System.Text.Json;
using AlipayHk.Pay.Simulator.Tests.Support;
using AlipayHk.Pay.Testing.Tests.Support;

namespace AlipayHk.Pay.Simulator.Tests;

/// <summary>The control API under /simulator/api, as a suite in any language drives it: JSON over HTTP.</summary>
public sealed class ControlApiTests
{
    private const string CreatePath = "/mch-api/v1/pa/payment_intents/create";

    [Fact]
    public async Task Payments_are_listed_found_by_either_id_and_filtered()
    {
        await using var server = await RunningServer.StartAsync();
        string token = await server.TokenAsync();
        await CreateAsync(server, token, "LIST-1");
        string second = await CreateAsync(server, token, "LIST-2");
        await server.PostAsync($"/simulator/api/payments/{second}/cancel");

        (_, JsonElement all, _) = await server.GetAsync("/simulator/api/payments");
        (_, JsonElement pending, _) = await server.GetAsync("/simulator/api/payments?status=pending");
        (_, JsonElement byMerchantOrder, _) = await server.GetAsync("/simulator/api/payments/LIST-2");
        (int missing, JsonElement error, _) = await server.GetAsync("/simulator/api/payments/NOPE");

        Assert.Equal(["LIST-1", "LIST-2"], all.EnumerateArray().Select(p => p.GetProperty("merchant_order_id").GetString()));
        Assert.Equal(["LIST-1"], pending.EnumerateArray().Select(p => p.GetProperty("merchant_order_id").GetString()));
        Assert.Equal((second, "CANCELLED", "default", "12.50", "ALIPAYHK"), (
            byMerchantOrder.GetProperty("order_id").GetString(),
            byMerchantOrder.GetProperty("status").GetString(),
            byMerchantOrder.GetProperty("merchant").GetString(),
            byMerchantOrder.GetProperty("amount").GetString(),
            byMerchantOrder.GetProperty("wallet").GetString()));
        Assert.Equal(404, missing);
        Assert.Contains("no payment with order id or merchant order id 'NOPE'", error.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pay_cancel_and_expire_move_a_pending_payment_and_refuse_any_other_with_409()
    {
        await using var server = await RunningServer.StartAsync();
        string token = await server.TokenAsync();
        string paid = await CreateAsync(server, token, "MOVE-1");
        await CreateAsync(server, token, "MOVE-2");
        await CreateAsync(server, token, "MOVE-3");

        (int payStatus, JsonElement payment, _) = await server.PostAsync($"/simulator/api/payments/{paid}/pay");
        (_, JsonElement cancelled, _) = await server.PostAsync("/simulator/api/payments/MOVE-2/cancel");
        (_, JsonElement expired, _) = await server.PostAsync("/simulator/api/payments/MOVE-3/expire");
        (int again, JsonElement refused, _) = await server.PostAsync($"/simulator/api/payments/{paid}/cancel");

        Assert.Equal(200, payStatus);
        Assert.Equal("SUCCEEDED", payment.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, payment.GetProperty("pay_time").ValueKind);
        Assert.Equal("CANCELLED", cancelled.GetProperty("status").GetString());
        Assert.Equal("CANCELLED", expired.GetProperty("status").GetString()); // The gateway reports a timeout as CANCELLED.
        Assert.Equal(409, again);
        Assert.Contains("it is already SUCCEEDED", refused.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_attempts_are_listed_and_a_waiting_retry_is_delivered_now()
    {
        await using var receiver = await CallbackReceiver.StartAsync(failures: 1);
        await using var server = await RunningServer.StartAsync(); // The real schedule: the retry is 15 s away.
        string token = await server.TokenAsync();
        string orderId = await CreateAsync(server, token, "CB-1", receiver.NotifyUrl);
        await server.PostAsync($"/simulator/api/payments/{orderId}/pay");

        (_, JsonElement before, _) = await server.GetAsync($"/simulator/api/payments/{orderId}/callbacks");
        (int status, JsonElement now, _) = await server.PostAsync($"/simulator/api/payments/{orderId}/callbacks/redeliver");
        (_, JsonElement all, _) = await server.GetAsync("/simulator/api/callbacks");

        JsonElement first = Assert.Single(before.EnumerateArray());
        Assert.Equal((1, 500, false), (first.GetProperty("attempt").GetInt32(), first.GetProperty("status_code").GetInt32(), first.GetProperty("accepted").GetBoolean()));
        Assert.Equal(JsonValueKind.String, first.GetProperty("next_attempt_at").ValueKind);
        Assert.Equal(200, status);
        Assert.Equal((2, true), (now.GetProperty("attempt").GetInt32(), now.GetProperty("accepted").GetBoolean()));
        Assert.Equal(2, all.GetArrayLength());
        Assert.Equal(2, receiver.Received.Count);

        (int nothing, _, _) = await server.PostAsync("/simulator/api/payments/NOPE/callbacks/redeliver");
        Assert.Equal(404, nothing);
    }

    [Fact]
    public async Task A_redirected_callback_shows_its_location_and_that_the_gateway_does_not_follow_redirects()
    {
        await using var app = await RedirectingApp.StartAsync();
        await using var server = await RunningServer.StartAsync();
        string orderId = await CreateAsync(server, await server.TokenAsync(), "REDIRECTED-1", app.NotifyUrl);

        (_, JsonElement paid, _) = await server.PostAsync($"/simulator/api/payments/{orderId}/pay");
        (_, JsonElement callbacks, _) = await server.GetAsync($"/simulator/api/payments/{orderId}/callbacks");

        JsonElement first = Assert.Single(callbacks.EnumerateArray());
        Assert.Equal((307, false), (first.GetProperty("status_code").GetInt32(), first.GetProperty("accepted").GetBoolean()));
        Assert.Equal(RedirectingApp.RedirectedTo.AbsoluteUri, first.GetProperty("location").GetString());
        Assert.StartsWith($"HTTP 307, a redirect to {RedirectingApp.RedirectedTo}: the gateway does not follow redirects", first.GetProperty("diagnosis").GetString(), StringComparison.Ordinal);
        Assert.Equal(first.GetProperty("diagnosis").GetString(), paid.GetProperty("callbacks")[0].GetProperty("diagnosis").GetString());
    }

    [Fact]
    public async Task A_callback_to_a_notify_url_where_nothing_listens_says_so()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port; // Closed again at once: nothing listens there.
        }

        await using var server = await RunningServer.StartAsync();
        string orderId = await CreateAsync(server, await server.TokenAsync(), "NOBODY-1", new Uri($"http://127.0.0.1:{port}/payments/alipayhk/notify"));

        (_, JsonElement paid, _) = await server.PostAsync($"/simulator/api/payments/{orderId}/pay");

        JsonElement first = paid.GetProperty("callbacks")[0];
        Assert.Equal(JsonValueKind.Null, first.GetProperty("status_code").ValueKind);
        Assert.StartsWith($"connection refused: nothing listens at http://127.0.0.1:{port}. The notify_url must be the app's real address", first.GetProperty("diagnosis").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Faults_are_listed_refused_with_a_message_naming_the_field_and_cleared()
    {
        await using var server = await RunningServer.StartAsync();

        (int bad, JsonElement badFault, _) = await server.PostAsync("/simulator/api/faults", """{"fault":"explode"}""");
        (int badCount, JsonElement countError, _) = await server.PostAsync("/simulator/api/faults", """{"fault":"timeout","count":0}""");
        (int badEndpoint, JsonElement endpointError, _) = await server.PostAsync("/simulator/api/faults", """{"fault":"Timeout","endpoint":"refund"}""");
        await server.PostAsync("/simulator/api/faults", """{"fault":"ConnectionReset","endpoint":"auth","count":2}""");
        await server.PostAsync("/simulator/api/faults", """{"fault":"unauthorized"}""");
        (_, JsonElement listed, _) = await server.GetAsync("/simulator/api/faults");
        using var request = new HttpRequestMessage(HttpMethod.Delete, "simulator/api/faults");
        using HttpResponseMessage cleared = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal((400, 400, 400), (bad, badCount, badEndpoint));
        Assert.StartsWith("fault is required: one of server_error, timeout,", badFault.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("count must be", countError.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("endpoint must be one of any, auth, create, query", endpointError.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("""[{"fault":"connection_reset","endpoint":"auth","remaining":2},{"fault":"unauthorized","endpoint":"any","remaining":1}]""", listed.GetRawText());
        Assert.Equal("[]", await cleared.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Empty(server.Simulator.PendingFaults);
    }

    [Fact]
    public async Task Expiring_tokens_makes_the_gateway_answer_401_until_a_new_one_is_fetched()
    {
        await using var server = await RunningServer.StartAsync();
        string token = await server.TokenAsync();

        (int expired, _, _) = await server.PostAsync("/simulator/api/tokens/expire");
        (int refused, _, _) = await server.PostAsync("/mch-api/v1/pa/payment_intents/query", """{"merchant_order_id":"X"}""", token);
        (int fresh, _, _) = await server.PostAsync("/mch-api/v1/pa/payment_intents/query", """{"merchant_order_id":"X"}""", await server.TokenAsync());

        Assert.Equal((204, 401, 200), (expired, refused, fresh));
    }

    [Fact]
    public async Task The_journal_redacts_the_client_secret_and_every_token_and_reset_clears_everything()
    {
        await using var server = await RunningServer.StartAsync();
        string token = await server.TokenAsync();
        await CreateAsync(server, token, "J-1");

        (_, JsonElement journal, string text) = await server.GetAsync("/simulator/api/journal");
        (_, JsonElement last, _) = await server.GetAsync("/simulator/api/journal?limit=1");
        (int reset, _, _) = await server.PostAsync("/simulator/api/reset");
        (_, JsonElement payments, _) = await server.GetAsync("/simulator/api/payments");
        (_, JsonElement emptied, _) = await server.GetAsync("/simulator/api/journal");

        Assert.Equal(["auth", "create"], journal.EnumerateArray().Select(e => e.GetProperty("endpoint").GetString()));
        Assert.Equal("?grant_type=client_credentials&uid=10000001&client_secret=REDACTED", journal[0].GetProperty("query").GetString());
        Assert.Equal("""{"access_token":"REDACTED","expires_in":3600}""", journal[0].GetProperty("response_body").GetString());
        Assert.Equal("Bearer REDACTED", journal[1].GetProperty("headers").GetProperty("Authorization").GetString());
        Assert.DoesNotContain("simulator-client-secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        Assert.Equal("create", Assert.Single(last.EnumerateArray()).GetProperty("endpoint").GetString());
        Assert.Equal(204, reset);
        Assert.Equal(0, payments.GetArrayLength());
        Assert.Equal(0, emptied.GetArrayLength());
    }

    [Fact]
    public async Task Merchants_are_listed_with_their_fake_credentials_for_clients_to_configure_themselves()
    {
        await using var server = await RunningServer.StartAsync("--merchant", "shop-b:20000002:secret-b:key-b");

        (_, JsonElement merchants, _) = await server.GetAsync("/simulator/api/merchants");

        Assert.Equal(
            """[{"name":"default","uid":"10000001","client_secret":"simulator-client-secret","webhook_key":"simulator-client-secret","signature_header":"Signature"},{"name":"shop-b","uid":"20000002","client_secret":"secret-b","webhook_key":"key-b","signature_header":"Signature"}]""",
            merchants.GetRawText());
    }

    [Fact]
    public async Task The_event_stream_sends_a_change_at_once_and_on_every_change()
    {
        await using var server = await RunningServer.StartAsync();
        using var response = await server.Http.GetAsync("simulator/api/events", HttpCompletionOption.ResponseHeadersRead, Timeouts.Bounded());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("event: change", await reader.ReadLineAsync(Timeouts.Bounded()));
        Assert.StartsWith("data: ", await reader.ReadLineAsync(Timeouts.Bounded()), StringComparison.Ordinal);
        Assert.Equal(string.Empty, await reader.ReadLineAsync(Timeouts.Bounded()));
        await server.PostAsync("/simulator/api/faults", """{"fault":"timeout"}""");
        Assert.Equal("event: change", await reader.ReadLineAsync(Timeouts.Bounded()));
    }

    [Fact]
    public async Task An_unknown_control_call_is_a_404_with_a_pointer_and_the_health_check_answers()
    {
        await using var server = await RunningServer.StartAsync();

        (int unknown, JsonElement error, _) = await server.GetAsync("/simulator/api/refunds");
        (int health, JsonElement ok, _) = await server.GetAsync("/simulator/api/health");

        Assert.Equal(404, unknown);
        Assert.Contains("README", error.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal((200, "ok"), (health, ok.GetProperty("status").GetString()));
        Assert.Empty(server.Simulator.Journal); // The control API is not the gateway: never journaled.
    }

    internal static async Task<string> CreateAsync(RunningServer server, string token, string merchantOrderId, Uri? notifyUrl = null)
    {
        string notify = notifyUrl is null ? string.Empty : $",\"notify_url\":\"{notifyUrl.AbsoluteUri}\"";
        (int status, JsonElement created, string text) = await server.PostAsync(
            CreatePath,
            $$$"""{"amount":"12.50","currency":"HKD","merchant_order_id":"{{{merchantOrderId}}}","description":"Two coffees","payment_method":{"type":"alipayhk","alipayhk":{"flow":"csb_qrcode","payment_method":"ALIPAYHK"}}{{{notify}}}}""",
            token);
        Assert.True(status == 200 && created.GetProperty("code").GetInt32() == 0, text);
        return created.GetProperty("data").GetProperty("order_id").GetString()!;
    }
}
