using System.Text.Json;

namespace AlipayHk.Pay;

/// <summary>
/// Parses a verified callback body into a <see cref="WebhookNotification"/>: strict about the shape (a JSON object
/// with a <c>notify_type</c> and, when present, a <c>data</c> object), lenient about values (ids and amounts may be
/// strings or numbers; an unreadable amount or time becomes <see langword="null"/>).
/// </summary>
internal static class WebhookPayloadParser
{
    /// <summary>Callbacks are two levels deep; anything much deeper is not from the gateway.</summary>
    internal const int MaxDepth = 16;

    private static readonly JsonElement EmptyObject = ParseEmptyObject();

    internal static WebhookNotification Parse(ReadOnlySpan<byte> body)
    {
        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
            root = JsonElement.ParseValue(ref reader);
            if (reader.Read())
            {
                throw Malformed("the body has more than one JSON value.");
            }
        }
        catch (JsonException ex)
        {
            throw new AlipayHkPayWebhookException(
                WebhookFailureReason.MalformedPayload,
                $"The webhook body ({body.Length} bytes) is signed correctly but is not valid JSON, or is nested deeper than {MaxDepth} levels: {ex.Message}",
                ex);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"the body is a JSON {root.ValueKind}, not an object.");
        }

        if (!root.TryGetProperty("notify_type"u8, out JsonElement typeElement) || typeElement.ValueKind != JsonValueKind.String
            || typeElement.GetString() is not { Length: > 0 } notifyType)
        {
            throw Malformed("it has no 'notify_type' string.");
        }

        JsonElement data = EmptyObject;
        if (root.TryGetProperty("data"u8, out JsonElement dataElement) && dataElement.ValueKind != JsonValueKind.Null)
        {
            if (dataElement.ValueKind != JsonValueKind.Object)
            {
                throw Malformed($"its 'data' is a JSON {dataElement.ValueKind}, not an object.");
            }

            data = dataElement;
        }

        string? orderId = Text(data, "order_id"u8);
        string? merchantOrderId = Text(data, "merchant_order_id"u8);
        WebhookRefund? refund = null;
        switch (notifyType)
        {
            case WebhookNotifyTypes.PaymentSuccess when orderId is null && merchantOrderId is null:
                throw Malformed("a 'payment_success' callback has neither 'data.order_id' nor 'data.merchant_order_id'.");
            case WebhookNotifyTypes.RefundSuccess or WebhookNotifyTypes.RefundFailed:
                refund = ParseRefund(data, notifyType == WebhookNotifyTypes.RefundSuccess);
                if (refund.RefundId is null && refund.MerchantRefundId is null)
                {
                    throw Malformed($"a '{notifyType}' callback has neither 'data.refund_id' nor 'data.merchant_refund_id'.");
                }

                break;
        }

        return new WebhookNotification(notifyType, data)
        {
            OrderId = orderId,
            MerchantOrderId = merchantOrderId,
            Status = notifyType == WebhookNotifyTypes.PaymentSuccess ? PaymentStatus.Succeeded : PaymentStatus.Unknown,
            Refund = refund,
        };
    }

    private static WebhookRefund ParseRefund(JsonElement data, bool succeeded)
    {
        decimal? amount = AmountFormat.TryParse(Text(data, "order_amount"u8), out decimal parsed) ? parsed : null;
        return new WebhookRefund
        {
            Succeeded = succeeded,
            RefundId = Text(data, "refund_id"u8),
            MerchantRefundId = Text(data, "merchant_refund_id"u8),
            OrderAmount = amount,
            CreateTime = Time(data, "create_time"u8),
            RefundTime = Time(data, "refund_time"u8),
            Uid = Text(data, "uid"u8),
        };
    }

    /// <summary>A string or number field as text; <see langword="null"/> when absent, empty, or of another kind.</summary>
    private static string? Text(JsonElement data, ReadOnlySpan<byte> name)
    {
        if (!data.TryGetProperty(name, out JsonElement value))
        {
            return null;
        }

        string? text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrEmpty(text) ? null : text;
    }

    private static DateTimeOffset? Time(JsonElement data, ReadOnlySpan<byte> name) =>
        GatewayTime.TryParse(Text(data, name), out DateTimeOffset value) ? value : null;

    private static AlipayHkPayWebhookException Malformed(string what) =>
        new(WebhookFailureReason.MalformedPayload, $"The webhook body is signed correctly but is not a callback the SDK can read: {what}");

    private static JsonElement ParseEmptyObject()
    {
        var reader = new Utf8JsonReader("{}"u8);
        return JsonElement.ParseValue(ref reader);
    }
}
