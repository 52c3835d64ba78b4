using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AlipayHk.Pay.Simulator.Tests.Support;

namespace AlipayHk.Pay.Simulator.Tests;

/// <summary>
/// "One command starts the server, and a payment made with curl alone goes end to end": the tool started as its own
/// process, then nothing but HTTP, the calls of the curl walk-through of docs/simulator.md.
/// </summary>
public sealed class CurlEndToEndTests
{
    [Fact]
    public async Task Token_create_pay_through_the_control_api_and_query_against_the_real_process()
    {
        (ServerProcess process, Uri baseAddress) = await ServerProcess.StartAsync("--urls", "http://127.0.0.1:0");
        await using (process)
        {
            using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
            CancellationToken cancellationToken = TestContext.Current.CancellationToken;

            // curl "$SIM/mch-api/v1/auth?grant_type=client_credentials&uid=10000001&client_secret=simulator-client-secret"
            string tokenJson = await http.GetStringAsync("mch-api/v1/auth?grant_type=client_credentials&uid=10000001&client_secret=simulator-client-secret", cancellationToken);
            string token = Json(tokenJson).GetProperty("access_token").GetString()!;

            // curl -X POST "$SIM/mch-api/v1/pa/payment_intents/create" -H "Authorization: Bearer $TOKEN" -d '{…}'
            JsonElement created = await PostAsync(http, "mch-api/v1/pa/payment_intents/create", token, """
                {"amount":"38.00","currency":"HKD","merchant_order_id":"CURL-1","description":"Milk tea x2",
                 "payment_method":{"type":"alipayhk","alipayhk":{"flow":"csb_qrcode","payment_method":"ALIPAYHK"}}}
                """);
            string orderId = created.GetProperty("data").GetProperty("order_id").GetString()!;

            // curl -X POST "$SIM/simulator/api/payments/CURL-1/pay"
            JsonElement paid = await PostAsync(http, "simulator/api/payments/CURL-1/pay", token: null, body: null);

            // curl -X POST "$SIM/mch-api/v1/pa/payment_intents/query" -H "Authorization: Bearer $TOKEN" -d '{"order_id":"…"}'
            JsonElement queried = await PostAsync(http, "mch-api/v1/pa/payment_intents/query", token, $$"""{"order_id":"{{orderId}}"}""");

            Assert.Equal("PENDING", created.GetProperty("data").GetProperty("status").GetString());
            Assert.Equal(("SUCCEEDED", orderId), (paid.GetProperty("status").GetString(), paid.GetProperty("order_id").GetString()));
            Assert.Equal(0, queried.GetProperty("code").GetInt32());
            Assert.Equal("SUCCEEDED", queried.GetProperty("data").GetProperty("status").GetString());
            Assert.Equal("38.00", queried.GetProperty("data").GetProperty("amount").GetString());
            Assert.True(queried.GetProperty("data").TryGetProperty("pay_time", out _));
            Assert.Contains("export AlipayHkPay__BaseAddress=" + baseAddress, process.Output, StringComparison.Ordinal);
            Assert.Contains("Listening on   http://127.0.0.1:", process.Output, StringComparison.Ordinal);
        }
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, string? token, string? body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using HttpResponseMessage response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{path}: HTTP {(int)response.StatusCode} {text}");
        return Json(text);
    }

    private static JsonElement Json(string text)
    {
        using JsonDocument document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
