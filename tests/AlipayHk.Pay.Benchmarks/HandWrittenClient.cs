using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace AlipayHk.Pay.Benchmarks;

/// <summary>
/// The baseline: what a merchant would write instead of the SDK. One HttpClient, the bearer header from a cached
/// string, source-generated System.Text.Json, the envelope check (HTTP 2xx, code 0, data present) and a small result.
/// No retries, no timeouts, no token refresh, no logging.
/// </summary>
internal sealed class HandWrittenClient(HttpClient http, string accessToken)
{
    public async Task<HandWrittenPayment> CreateAsync(decimal amount, string merchantOrderId, string description, CancellationToken cancellationToken)
    {
        var body = new HwCreateBody
        {
            Amount = amount.ToString(CultureInfo.InvariantCulture),
            Currency = "HKD",
            MerchantOrderId = merchantOrderId,
            Description = description,
            PaymentMethod = new HwPaymentMethod { Type = "alipayhk", AlipayHk = new HwAlipayHk { Flow = "csb_qrcode", PaymentMethod = "ALIPAYHK" } },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, GatewayExamples.CreatePath)
        {
            Content = JsonContent.Create(body, HandWrittenJsonContext.Default.HwCreateBody),
        };
        return await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task<HandWrittenPayment> QueryAsync(string orderId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, GatewayExamples.QueryPath)
        {
            Content = JsonContent.Create(new HwQueryBody { OrderId = orderId }, HandWrittenJsonContext.Default.HwQueryBody),
        };
        return await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HandWrittenPayment> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        HwEnvelope? envelope = await response.Content.ReadFromJsonAsync(HandWrittenJsonContext.Default.HwEnvelope, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode || envelope is not { Code: 0, Data: { } data })
        {
            throw new HttpRequestException($"The gateway refused the call: {envelope?.Message}");
        }

        return new HandWrittenPayment(
            data.OrderId,
            data.MerchantOrderId,
            decimal.Parse(data.Amount!, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture),
            data.Status,
            data.NextAction?.Url,
            envelope.Rid);
    }
}

public sealed record HandWrittenPayment(string? OrderId, string? MerchantOrderId, decimal Amount, string? Status, string? QrCodeUrl, string? RequestId);

internal sealed class HwCreateBody
{
    [JsonPropertyName("amount")] public required string Amount { get; init; }
    [JsonPropertyName("currency")] public required string Currency { get; init; }
    [JsonPropertyName("merchant_order_id")] public required string MerchantOrderId { get; init; }
    [JsonPropertyName("payment_method")] public required HwPaymentMethod PaymentMethod { get; init; }
    [JsonPropertyName("description")] public required string Description { get; init; }
}

internal sealed class HwPaymentMethod
{
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("alipayhk")] public required HwAlipayHk AlipayHk { get; init; }
}

internal sealed class HwAlipayHk
{
    [JsonPropertyName("flow")] public required string Flow { get; init; }
    [JsonPropertyName("payment_method")] public required string PaymentMethod { get; init; }
}

internal sealed class HwQueryBody
{
    [JsonPropertyName("order_id")] public string? OrderId { get; init; }
}

internal sealed class HwEnvelope
{
    [JsonPropertyName("code")] public int Code { get; set; }
    [JsonPropertyName("data")] public HwData? Data { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("rid")] public string? Rid { get; set; }
}

internal sealed class HwData
{
    [JsonPropertyName("order_id")] public string? OrderId { get; set; }
    [JsonPropertyName("merchant_order_id")] public string? MerchantOrderId { get; set; }
    [JsonPropertyName("amount")] public string? Amount { get; set; }
    [JsonPropertyName("currency")] public string? Currency { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("create_time")] public string? CreateTime { get; set; }
    [JsonPropertyName("pay_time")] public string? PayTime { get; set; }
    [JsonPropertyName("next_action")] public HwNextAction? NextAction { get; set; }
}

internal sealed class HwNextAction
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("url")] public string? Url { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HwCreateBody))]
[JsonSerializable(typeof(HwQueryBody))]
[JsonSerializable(typeof(HwEnvelope))]
internal sealed partial class HandWrittenJsonContext : JsonSerializerContext
{
}
