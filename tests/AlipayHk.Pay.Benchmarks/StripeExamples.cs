using System.Net;
using System.Net.Http.Headers;

namespace AlipayHk.Pay.Benchmarks;

/// <summary>
/// Canned Stripe answers for the peer benchmark: a whole <c>payment_intent</c> object as Stripe's API reference
/// documents it (every top-level field, nulls included, as the API returns them), for an Alipay payment, in the shape
/// <c>POST /v1/payment_intents</c> answers a confirmed create (<c>requires_action</c>, with the redirect) and
/// <c>GET /v1/payment_intents/{id}</c> answers once paid (<c>succeeded</c>), indented by two spaces as the API sends
/// them (<c>-- --sizes</c> prints their sizes: 2,443 and 2,119 bytes).
/// </summary>
internal static class StripeExamples
{
    internal const string ApiKey = "sk_test_51BenchmarkOnlyNotARealKey00000000000000000000000000000000000000";
    internal const string PaymentIntentId = "pi_3QbEnchMarkAlipay0T1xYz9K";
    internal const string BaseAddress = "https://api.stripe.benchmark.test";

    internal static readonly byte[] CreateResponse = Utf8Json(Intent(
        status: "requires_action",
        amountReceived: 0,
        latestCharge: "null",
        paymentMethod: "\"pm_1QbEnchAlipayPm0Ab12Cd34\"",
        nextAction: """
            {
              "type": "alipay_handle_redirect",
              "alipay_handle_redirect": {
                "native_data": null,
                "native_url": null,
                "return_url": "https://shop.example.hk/checkout/complete?order=P9297895081903",
                "url": "https://hooks.stripe.com/redirect/authenticate/src_1QbEnchAlipayRedirect0?client_secret=src_client_secret_BenchmarkOnly0123456789abc"
              }
            }
            """));

    internal static readonly byte[] QueryResponse = Utf8Json(Intent(
        status: "succeeded",
        amountReceived: 5000,
        latestCharge: "\"ch_3QbEnchMarkAlipay0T1xYz9Kc\"",
        paymentMethod: "\"pm_1QbEnchAlipayPm0Ab12Cd34\"",
        nextAction: "null"));

    private static string Intent(string status, long amountReceived, string latestCharge, string paymentMethod, string nextAction) => $$"""
        {
          "id": "{{PaymentIntentId}}",
          "object": "payment_intent",
          "allowed_payment_method_types": [
            "alipay"
          ],
          "amount": 5000,
          "amount_capturable": 0,
          "amount_details": {
            "tip": {}
          },
          "amount_received": {{amountReceived}},
          "application": null,
          "application_fee_amount": null,
          "automatic_payment_methods": null,
          "canceled_at": null,
          "cancellation_reason": null,
          "capture_method": "automatic",
          "client_secret": "{{PaymentIntentId}}_secret_BenchMarkClientSecret0123456789",
          "confirmation_method": "automatic",
          "created": 1735689600,
          "currency": "hkd",
          "customer": "cus_RbEnchMarkCust01",
          "customer_account": null,
          "description": "Order P9297895081903",
          "excluded_payment_method_types": null,
          "last_payment_error": null,
          "latest_charge": {{latestCharge}},
          "livemode": false,
          "managed_payments": null,
          "metadata": {
            "merchant_order_id": "P9297895081903",
            "store_id": "HK-CWB-0042",
            "terminal_id": "POS-07",
            "cashier": "c.wong"
          },
          "next_action": {{nextAction}},
          "on_behalf_of": null,
          "payment_method": {{paymentMethod}},
          "payment_method_configuration_details": null,
          "payment_method_options": {
            "alipay": {},
            "card": {
              "installments": null,
              "mandate_options": null,
              "network": null,
              "request_three_d_secure": "automatic"
            },
            "wechat_pay": {
              "app_id": null,
              "client": null
            }
          },
          "payment_method_types": [
            "alipay"
          ],
          "payment_record": null,
          "processing": null,
          "receipt_email": "customer@example.com",
          "review": null,
          "setup_future_usage": null,
          "shipping": {
            "address": {
              "city": "Hong Kong",
              "country": "HK",
              "line1": "Flat 12B, 88 Gloucester Road",
              "line2": "Wan Chai",
              "postal_code": null,
              "state": null
            },
            "carrier": null,
            "name": "Chan Tai Man",
            "phone": "+85291234567",
            "tracking_number": null
          },
          "source": null,
          "statement_descriptor": null,
          "statement_descriptor_suffix": "P9297895081903",
          "status": "{{status}}",
          "transfer_data": null,
          "transfer_group": null
        }
        """;

    /// <summary>The JSON as UTF-8 bytes, checked to be one valid JSON object.</summary>
    private static byte[] Utf8Json(string json)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(json);
        using var document = System.Text.Json.JsonDocument.Parse(bytes);
        return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object ? bytes : throw new InvalidOperationException("Not a JSON object.");
    }
}

/// <summary>
/// The primary handler under Stripe.net, in the same conditions as <see cref="InMemoryGateway"/>: drains the request
/// body and answers with a fresh response carrying the canned bytes (plus the <c>Request-Id</c> header every Stripe
/// answer has, which Stripe.net reads).
/// </summary>
internal sealed class StripeInMemoryGateway : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content)
        {
            await content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }

        string path = request.RequestUri!.AbsolutePath;
        byte[] body = request.Method == HttpMethod.Post && path == "/v1/payment_intents" ? StripeExamples.CreateResponse
            : request.Method == HttpMethod.Get && path == "/v1/payment_intents/" + StripeExamples.PaymentIntentId ? StripeExamples.QueryResponse
            : [];
        var response = new HttpResponseMessage(body.Length == 0 ? HttpStatusCode.NotFound : HttpStatusCode.OK)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(body),
        };
        response.Headers.TryAddWithoutValidation("Request-Id", "req_BenchMark0123456");
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json", "utf-8");
        return response;
    }
}

/// <summary>Sizes of the canned answers, for the docs.</summary>
internal static class CannedSizes
{
    internal static string Describe() =>
        $"Stripe create {StripeExamples.CreateResponse.Length} B, query {StripeExamples.QueryResponse.Length} B; "
        + $"AlipayHK create {GatewayExamples.CreateResponse.Length} B, query {GatewayExamples.QueryResponse.Length} B; "
        + $"webhook typical {GatewayExamples.TypicalWebhook.Length} B, large {GatewayExamples.LargeWebhook.Length} B";
}
