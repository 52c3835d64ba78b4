using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace AlipayHk.Pay.Benchmarks;

// Benchmarks only: the SDK's webhook parser before the refactor to a source-generated DTO (src/AlipayHk.Pay/Webhooks/
// Internal/WebhookPayloadParser.cs at commit 8c46870), copied unchanged but for its namespace and class name, the
// WebhookNotification constructor's new third argument, and the Data parse (not measured here). WebhookBenchmarks
// measures it beside the current parser, to size what going back to one reader pass would save.

/// <summary>
/// Parses a verified callback body into a <see cref="WebhookNotification"/>: strict about the shape (a JSON object
/// with a <c>notify_type</c> and, when present, a <c>data</c> object), lenient about values (ids and amounts may be
/// strings or numbers; an unreadable amount or time becomes <see langword="null"/>).
/// </summary>
/// <remarks>
/// One forward pass of a <see cref="Utf8JsonReader"/> over the whole body: it validates the syntax to the last byte
/// (and the depth limit) and notes where the fields the SDK types are, without building a document. Only then are the
/// shape checked and the typed fields read, in the order and with the rules of a <see cref="JsonElement"/> lookup (a
/// repeated property: the last one wins). The <c>data</c> object's bytes are copied for
/// <see cref="WebhookNotification.Data"/>, which parses them on first use.
/// </remarks>
internal static class OnePassWebhookParser
{
    /// <summary>Callbacks are two levels deep; anything much deeper is not from the gateway.</summary>
    internal const int MaxDepth = 16;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow };

    internal static WebhookNotification Parse(ReadOnlySpan<byte> body)
    {
        // The reader checks the JSON's structure, not the UTF-8 inside its strings: a body with bytes that are not
        // UTF-8 in a field the SDK does not read would pass, and Data.ToString() or GetRawText() would throw later, in
        // the merchant's handler. One vectorized pass over a few hundred bytes rejects it here instead.
        if (!Utf8.IsValid(body))
        {
            throw Malformed("it is not valid UTF-8 text.");
        }

        Fields fields = default;
        try
        {
            var reader = new Utf8JsonReader(body, ReaderOptions);
            Scan(ref reader, ref fields);
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

        if (fields.Root != JsonTokenType.StartObject)
        {
            throw Malformed($"the body is a JSON {KindOf(fields.Root)}, not an object.");
        }

        if (fields.NotifyType.Type != JsonTokenType.String || Text(body, fields.NotifyType) is not { } notifyType)
        {
            throw Malformed("it has no 'notify_type' string.");
        }

        bool hasData = fields.Data is not (JsonTokenType.None or JsonTokenType.Null);
        if (hasData && fields.Data != JsonTokenType.StartObject)
        {
            throw Malformed($"its 'data' is a JSON {KindOf(fields.Data)}, not an object.");
        }

        string? orderId = Text(body, fields.OrderId);
        string? merchantOrderId = Text(body, fields.MerchantOrderId);
        WebhookRefund? refund = null;
        switch (notifyType)
        {
            case WebhookNotifyTypes.PaymentSuccess when orderId is null && merchantOrderId is null:
                throw Malformed("a 'payment_success' callback has neither 'data.order_id' nor 'data.merchant_order_id'.");
            case WebhookNotifyTypes.RefundSuccess or WebhookNotifyTypes.RefundFailed:
                refund = ParseRefund(body, in fields, notifyType == WebhookNotifyTypes.RefundSuccess);
                if (refund.RefundId is null && refund.MerchantRefundId is null)
                {
                    throw Malformed($"a '{notifyType}' callback has neither 'data.refund_id' nor 'data.merchant_refund_id'.");
                }

                break;
        }

        // A copy, so that Data stays valid after the caller reuses its buffer.
        byte[]? data = hasData ? body[fields.DataStart..fields.DataEnd].ToArray() : null;
        return new WebhookNotification(notifyType, data, jsonIsBody: false)
        {
            OrderId = orderId,
            MerchantOrderId = merchantOrderId,
            Status = notifyType == WebhookNotifyTypes.PaymentSuccess ? PaymentStatus.Succeeded : PaymentStatus.Unknown,
            Refund = refund,
        };
    }

    /// <summary>
    /// Reads the whole value (the reader throws <see cref="JsonException"/> on any syntax error or past
    /// <see cref="MaxDepth"/>) and notes the root's kind, <c>notify_type</c>, <c>data</c> and the fields in it.
    /// </summary>
    private static void Scan(ref Utf8JsonReader reader, ref Fields fields)
    {
        reader.Read(); // Throws on an empty body.
        fields.Root = reader.TokenType;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("notify_type"u8))
            {
                reader.Read();
                fields.NotifyType = Token.At(ref reader);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                ScanData(ref reader, ref fields);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>Reads the value of a root <c>data</c> property; a repeated <c>data</c> replaces what an earlier one set.</summary>
    private static void ScanData(ref Utf8JsonReader reader, ref Fields fields)
    {
        fields.Data = reader.TokenType;
        fields.DataStart = fields.DataEnd = 0;
        fields.OrderId = fields.MerchantOrderId = fields.RefundId = fields.MerchantRefundId = default;
        fields.OrderAmount = fields.CreateTime = fields.RefundTime = fields.Uid = default;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        fields.DataStart = (int)reader.TokenStartIndex;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ref Token field = ref DataField(ref reader, ref fields);
            reader.Read();
            if (!Unsafe.IsNullRef(ref field))
            {
                field = Token.At(ref reader);
            }

            reader.Skip();
        }

        fields.DataEnd = (int)reader.BytesConsumed;
    }

    /// <summary>Where to note the value of the <c>data</c> property the reader is on; a null reference for a field the SDK does not type.</summary>
    private static ref Token DataField(ref Utf8JsonReader reader, ref Fields fields)
    {
        if (!reader.ValueIsEscaped)
        {
            // The usual case: compare the raw name, chosen by its length.
            ReadOnlySpan<byte> name = reader.ValueSpan;
            switch (name.Length)
            {
                case 3 when name.SequenceEqual("uid"u8): return ref fields.Uid;
                case 8 when name.SequenceEqual("order_id"u8): return ref fields.OrderId;
                case 9 when name.SequenceEqual("refund_id"u8): return ref fields.RefundId;
                case 11 when name.SequenceEqual("create_time"u8): return ref fields.CreateTime;
                case 11 when name.SequenceEqual("refund_time"u8): return ref fields.RefundTime;
                case 12 when name.SequenceEqual("order_amount"u8): return ref fields.OrderAmount;
                case 17 when name.SequenceEqual("merchant_order_id"u8): return ref fields.MerchantOrderId;
                case 18 when name.SequenceEqual("merchant_refund_id"u8): return ref fields.MerchantRefundId;
                default: return ref Unsafe.NullRef<Token>();
            }
        }

        return ref reader.ValueTextEquals("uid"u8) ? ref fields.Uid
            : ref reader.ValueTextEquals("order_id"u8) ? ref fields.OrderId
            : ref reader.ValueTextEquals("refund_id"u8) ? ref fields.RefundId
            : ref reader.ValueTextEquals("create_time"u8) ? ref fields.CreateTime
            : ref reader.ValueTextEquals("refund_time"u8) ? ref fields.RefundTime
            : ref reader.ValueTextEquals("order_amount"u8) ? ref fields.OrderAmount
            : ref reader.ValueTextEquals("merchant_order_id"u8) ? ref fields.MerchantOrderId
            : ref reader.ValueTextEquals("merchant_refund_id"u8) ? ref fields.MerchantRefundId
            : ref Unsafe.NullRef<Token>();
    }

    private static WebhookRefund ParseRefund(ReadOnlySpan<byte> body, in Fields fields, bool succeeded)
    {
        decimal? amount = AmountFormat.TryParse(Text(body, fields.OrderAmount), out decimal parsed) ? parsed : null;
        return new WebhookRefund
        {
            Succeeded = succeeded,
            RefundId = Text(body, fields.RefundId),
            MerchantRefundId = Text(body, fields.MerchantRefundId),
            OrderAmount = amount,
            CreateTime = Time(body, fields.CreateTime),
            RefundTime = Time(body, fields.RefundTime),
            Uid = Text(body, fields.Uid),
        };
    }

    /// <summary>
    /// A string or number field as text (a string unescaped, a number as written); <see langword="null"/> when
    /// absent, empty, or of another kind. What <see cref="JsonElement.GetString"/> and
    /// <see cref="JsonElement.GetRawText"/> give. The body is valid UTF-8 by then (<see cref="Parse"/> checks it first).
    /// </summary>
    private static string? Text(ReadOnlySpan<byte> body, Token token)
    {
        ReadOnlySpan<byte> value = body.Slice(token.Start, token.Length);
        switch (token.Type)
        {
            case JsonTokenType.Number:
                return Encoding.UTF8.GetString(value);
            case JsonTokenType.String when value.IsEmpty:
                return null;
            case JsonTokenType.String when !token.Escaped:
                return Encoding.UTF8.GetString(value);
            case JsonTokenType.String:
                // Escapes (rare): the reader's own unescaping, and its exception.
                var reader = new Utf8JsonReader(body.Slice(token.Start - 1, token.Length + 2), ReaderOptions);
                reader.Read();
                try
                {
                    return reader.GetString() is { Length: > 0 } text ? text : null;
                }
                catch (InvalidOperationException notText)
                {
                    // An escape that is no text (a lone surrogate, "\ud800"), in a field the SDK reads: malformed, not a crash.
                    throw new AlipayHkPayWebhookException(
                        WebhookFailureReason.MalformedPayload,
                        "The webhook body is signed correctly but is not a callback the SDK can read: a text field is not valid Unicode.",
                        notText);
                }
            default:
                return null;
        }
    }

    private static DateTimeOffset? Time(ReadOnlySpan<byte> body, Token token) =>
        GatewayTime.TryParse(Text(body, token), out DateTimeOffset value) ? value : null;

    /// <summary>The name <see cref="JsonElement.ValueKind"/> gives the value that starts with <paramref name="token"/>.</summary>
    private static JsonValueKind KindOf(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => JsonValueKind.Object,
        JsonTokenType.StartArray => JsonValueKind.Array,
        JsonTokenType.String => JsonValueKind.String,
        JsonTokenType.Number => JsonValueKind.Number,
        JsonTokenType.True => JsonValueKind.True,
        JsonTokenType.False => JsonValueKind.False,
        JsonTokenType.Null => JsonValueKind.Null,
        _ => JsonValueKind.Undefined,
    };

    private static AlipayHkPayWebhookException Malformed(string what) =>
        new(WebhookFailureReason.MalformedPayload, $"The webhook body is signed correctly but is not a callback the SDK can read: {what}");

    /// <summary>Where a scalar value is in the body: for a string, its text between the quotes, as written.</summary>
    private readonly struct Token
    {
        private Token(JsonTokenType type, int start, int length, bool escaped)
        {
            Type = type;
            Start = start;
            Length = length;
            Escaped = escaped;
        }

        /// <summary><see cref="JsonTokenType.None"/> when absent; otherwise the kind of the value's first token.</summary>
        internal JsonTokenType Type { get; }

        internal int Start { get; }

        internal int Length { get; }

        internal bool Escaped { get; }

        /// <summary>The value the reader is on; only a string's or a number's position is kept.</summary>
        internal static Token At(ref Utf8JsonReader reader) => reader.TokenType switch
        {
            JsonTokenType.String => new(JsonTokenType.String, (int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, reader.ValueIsEscaped),
            JsonTokenType.Number => new(JsonTokenType.Number, (int)reader.TokenStartIndex, reader.ValueSpan.Length, false),
            _ => new(reader.TokenType, 0, 0, false),
        };
    }

    /// <summary>What <see cref="Scan"/> found.</summary>
    private struct Fields
    {
        internal JsonTokenType Root;
        internal Token NotifyType;

        /// <summary>The kind of the last root <c>data</c> value's first token; <see cref="JsonTokenType.None"/> when absent.</summary>
        internal JsonTokenType Data;
        internal int DataStart;
        internal int DataEnd;
        internal Token OrderId;
        internal Token MerchantOrderId;
        internal Token RefundId;
        internal Token MerchantRefundId;
        internal Token OrderAmount;
        internal Token CreateTime;
        internal Token RefundTime;
        internal Token Uid;
    }
}
