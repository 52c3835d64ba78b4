using System.Text.Json.Serialization;

namespace AlipayHk.Pay.Http;

// The gateway's JSON, field for field as published. Nothing here is public: the public models are in Payments/.

/// <summary>Every response but the token one: <c>{"code":0,"data":{...},"message":"ok","rid":"..."}</c>.</summary>
internal sealed class GatewayEnvelope<T>
    where T : class
{
    [JsonPropertyName("code")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public int Code { get; set; }

    [JsonPropertyName("data")]
    public T? Data { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("rid")]
    public string? Rid { get; set; }
}

/// <summary>The token response: bare JSON, no envelope. The error fields are read in case a refusal comes as an envelope.</summary>
internal sealed class AccessTokenResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("expires_in")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public long? ExpiresIn { get; set; }

    [JsonPropertyName("code")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public int? Code { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("rid")]
    public string? Rid { get; set; }
}

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
