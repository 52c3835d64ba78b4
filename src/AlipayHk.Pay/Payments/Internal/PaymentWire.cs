using System.Text.Json.Serialization;
using AlipayHk.Pay.Pipeline;

namespace AlipayHk.Pay.Payments;

// The payment intent endpoints' JSON, field for field as published. The public models are beside this folder.

internal sealed class CreatePaymentIntentBody
{
    [JsonPropertyName("amount")]
    public required string Amount { get; init; }

    [JsonPropertyName("currency")]
    public required string Currency { get; init; }

    [JsonPropertyName("merchant_order_id")]
    public required string MerchantOrderId { get; init; }

    [JsonPropertyName("payment_method")]
    public required PaymentMethodBody PaymentMethod { get; init; }

    [JsonPropertyName("description")]
    public required string Description { get; init; }

    [JsonPropertyName("notify_url")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? NotifyUrl { get; init; }
}

internal sealed class PaymentMethodBody
{
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    [JsonPropertyName("alipayhk")]
    public required AlipayHkMethodBody AlipayHk { get; init; }
}

internal sealed class AlipayHkMethodBody
{
    [JsonPropertyName("flow")]
    public required string Flow { get; init; }

    [JsonPropertyName("payment_method")]
    public required string PaymentMethod { get; init; }
}

internal sealed class QueryPaymentIntentBody
{
    [JsonPropertyName("order_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OrderId { get; init; }

    [JsonPropertyName("merchant_order_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MerchantOrderId { get; init; }
}

/// <summary>The <c>data</c> of a create or query response. Times and amounts stay text here: the mapper parses them leniently.</summary>
internal sealed class PaymentIntentData
{
    [JsonPropertyName("order_id")]
    public string? OrderId { get; set; }

    [JsonPropertyName("merchant_order_id")]
    public string? MerchantOrderId { get; set; }

    [JsonPropertyName("amount")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    public string? Amount { get; set; }

    [JsonPropertyName("currency")]
    public string? Currency { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("create_time")]
    public string? CreateTime { get; set; }

    [JsonPropertyName("pay_time")]
    public string? PayTime { get; set; }

    [JsonPropertyName("next_action")]
    public NextActionData? NextAction { get; set; }
}

/// <summary>
/// <c>next_action</c>. The in-store flow sends <c>url</c>; sibling flows send <c>qrcode_url</c> or <c>redirect_url</c>.
/// </summary>
internal sealed class NextActionData
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("url")]
    public string? Url { get; set; }

    [JsonPropertyName("qrcode_url")]
    public string? QrCodeUrl { get; set; }

    [JsonPropertyName("redirect_url")]
    public string? RedirectUrl { get; set; }
}

/// <summary>Source-generated JSON metadata of the payment intent endpoints: no reflection, AOT-safe.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    MaxDepth = 32)]
[JsonSerializable(typeof(GatewayEnvelope<PaymentIntentData>))]
[JsonSerializable(typeof(CreatePaymentIntentBody))]
[JsonSerializable(typeof(QueryPaymentIntentBody))]
internal sealed partial class PaymentsJsonContext : JsonSerializerContext
{
}
