using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using AlipayHk.Pay.Pipeline;

namespace AlipayHk.Pay;

/// <summary>
/// Parses a verified callback body into a <see cref="WebhookNotification"/> with a source-generated DTO
/// (<see cref="WebhookPayload"/>): strict about the shape (a JSON object with a <c>notify_type</c> string and, when
/// present, a <c>data</c> object; one value; at most <see cref="MaxDepth"/> levels), lenient about values (ids and
/// amounts may be strings or numbers; an unreadable amount or time becomes <see langword="null"/>). A repeated property:
/// the last one wins. <see cref="WebhookNotification.Data"/> is parsed from a copy of the body on first use.
/// </summary>
internal static class WebhookPayloadParser
{
    /// <summary>Callbacks are two levels deep; anything much deeper is not from the gateway.</summary>
    internal const int MaxDepth = 16;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    /// <summary>The <see cref="WebhookNotification.Data"/> of a callback without <c>data</c> (or with a null one).</summary>
    internal static readonly JsonElement EmptyObject = ParseData("{}"u8.ToArray(), isBody: false);

    internal static WebhookNotification Parse(ReadOnlySpan<byte> body)
    {
        // The reader checks the JSON's structure, not the UTF-8 inside strings it skips: a body with bytes that are not
        // UTF-8 in a field the SDK does not read would pass, and Data.ToString() would throw later, in the merchant's
        // handler. One vectorized pass over a few hundred bytes rejects it here instead.
        if (!Utf8.IsValid(body))
        {
            throw Malformed("it is not valid UTF-8 text.");
        }

        WebhookPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(body, WebhookJsonContext.Default.WebhookPayload);
        }
        catch (JsonException ex) when (ex.Path == "$.data" && DataKind(body) is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null) and var kind)
        {
            throw Malformed($"its 'data' is a JSON {kind}, not an object.", ex);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: an escape that is no text ("\ud800") in a field the SDK reads.
            throw Malformed($"the body ({body.Length} bytes) is not valid JSON, not a JSON object, or nested deeper than {MaxDepth} levels: {ex.Message}", ex);
        }

        if (payload?.NotifyType is not { Length: > 0 } notifyType)
        {
            throw Malformed("it has no 'notify_type' string.");
        }

        WebhookPayloadData data = payload.Data ?? WebhookPayloadData.None;
        WebhookRefund? refund = null;
        switch (notifyType)
        {
            case WebhookNotifyTypes.PaymentSuccess when data.OrderId is null && data.MerchantOrderId is null:
                throw Malformed("a 'payment_success' callback has neither 'data.order_id' nor 'data.merchant_order_id'.");
            case WebhookNotifyTypes.RefundSuccess or WebhookNotifyTypes.RefundFailed:
                refund = new WebhookRefund
                {
                    Succeeded = notifyType == WebhookNotifyTypes.RefundSuccess,
                    RefundId = data.RefundId,
                    MerchantRefundId = data.MerchantRefundId,
                    OrderAmount = data.OrderAmount,
                    CreateTime = data.CreateTime,
                    RefundTime = data.RefundTime,
                    Uid = data.Uid,
                };
                if (refund.RefundId is null && refund.MerchantRefundId is null)
                {
                    throw Malformed($"a '{notifyType}' callback has neither 'data.refund_id' nor 'data.merchant_refund_id'.");
                }

                break;
        }

        // A copy of the body, so that Data stays valid after the caller reuses its buffer.
        return new WebhookNotification(notifyType, payload.Data is null ? null : body.ToArray(), jsonIsBody: true)
        {
            OrderId = data.OrderId,
            MerchantOrderId = data.MerchantOrderId,
            Status = notifyType == WebhookNotifyTypes.PaymentSuccess ? PaymentStatus.Succeeded : PaymentStatus.Unknown,
            Refund = refund,
        };
    }

    /// <summary>The <c>data</c> object of <paramref name="json"/> (a whole body, or the object itself), already validated by <see cref="Parse"/>.</summary>
    internal static JsonElement ParseData(byte[] json, bool isBody)
    {
        using JsonDocument document = JsonDocument.Parse(json, DocumentOptions);
        JsonElement root = document.RootElement;
        return !isBody ? root.Clone()
            : root.TryGetProperty("data", out JsonElement data) && data.ValueKind == JsonValueKind.Object ? data.Clone()
            : EmptyObject;
    }

    private static AlipayHkPayWebhookException Malformed(string what, Exception? inner = null) =>
        new(WebhookFailureReason.MalformedPayload, $"The webhook body is signed correctly but is not a callback the SDK can read: {what}", inner);

    /// <summary>The kind of the root <c>data</c> value (the last one, as the DTO reads it), for the message of a malformed callback.</summary>
    private static JsonValueKind DataKind(ReadOnlySpan<byte> body)
    {
        JsonValueKind kind = JsonValueKind.Undefined;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return kind;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isData = reader.ValueTextEquals("data"u8);
                reader.Read();
                if (isData)
                {
                    kind = reader.TokenType switch
                    {
                        JsonTokenType.StartArray => JsonValueKind.Array,
                        JsonTokenType.String => JsonValueKind.String,
                        JsonTokenType.Number => JsonValueKind.Number,
                        JsonTokenType.True => JsonValueKind.True,
                        JsonTokenType.False => JsonValueKind.False,
                        JsonTokenType.StartObject => JsonValueKind.Object,
                        _ => JsonValueKind.Null,
                    };
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // The kind found so far is the best there is.
        }

        return kind;
    }
}

/// <summary>A callback as the gateway sends it: <c>{"notify_type":"...","data":{...}}</c>.</summary>
internal sealed class WebhookPayload
{
    [JsonPropertyName("notify_type")]
    [JsonConverter(typeof(NotifyTypeConverter))]
    public string? NotifyType { get; set; }

    [JsonPropertyName("data")]
    public WebhookPayloadData? Data { get; set; }
}

/// <summary>A <c>notify_type</c>: the known ones as their constants (no string per callback), anything else as read.</summary>
internal sealed class NotifyTypeConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType != JsonTokenType.String ? throw new JsonException("'notify_type' is not a string.")
        : reader.ValueTextEquals("payment_success"u8) ? WebhookNotifyTypes.PaymentSuccess
        : reader.ValueTextEquals("refund_success"u8) ? WebhookNotifyTypes.RefundSuccess
        : reader.ValueTextEquals("refund_failed"u8) ? WebhookNotifyTypes.RefundFailed
        : reader.GetString();

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>
/// The fields of <c>data</c> the SDK types, each a string or a number on the wire: ids kept as text, the amount and the
/// times read straight into their types by their converters (an unreadable one is <see langword="null"/>).
/// </summary>
internal sealed class WebhookPayloadData
{
    internal static readonly WebhookPayloadData None = new();

    [JsonPropertyName("order_id")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    public string? OrderId { get; set; }

    [JsonPropertyName("merchant_order_id")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    public string? MerchantOrderId { get; set; }

    [JsonPropertyName("refund_id")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    public string? RefundId { get; set; }

    [JsonPropertyName("merchant_refund_id")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    public string? MerchantRefundId { get; set; }

    [JsonPropertyName("order_amount")]
    [JsonConverter(typeof(AmountConverter))]
    public decimal? OrderAmount { get; set; }

    [JsonPropertyName("create_time")]
    [JsonConverter(typeof(GatewayTimeConverter))]
    public DateTimeOffset? CreateTime { get; set; }

    [JsonPropertyName("refund_time")]
    [JsonConverter(typeof(GatewayTimeConverter))]
    public DateTimeOffset? RefundTime { get; set; }

    [JsonPropertyName("uid")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    public string? Uid { get; set; }
}

/// <summary>Source-generated JSON metadata of callbacks: no reflection, AOT-safe.</summary>
[JsonSourceGenerationOptions(MaxDepth = WebhookPayloadParser.MaxDepth, UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(WebhookPayload))]
[JsonSerializable(typeof(WebhookPayloadData))]
internal sealed partial class WebhookJsonContext : JsonSerializerContext
{
}
