using System.Buffers;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using AlipayHk.Pay.Testing.Payments.Internal;

namespace AlipayHk.Pay.Testing.Gateway.Internal;

/// <summary>
/// The gateway's JSON, written by hand with <see cref="Utf8JsonWriter"/>: compact, field order as published, no reflection.
/// Relaxed escaping, so <c>+08:00</c> is written as is and not as <c>\u002B08:00</c>.
/// </summary>
internal static class GatewayJson
{
    public static string NewRequestId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariantAscii();

    /// <summary><c>{"code":…,"data":{…},"message":"…","rid":"…"}</c>; <c>data</c> is left out when <paramref name="data"/> is null.</summary>
    public static byte[] Envelope(int code, string message, string rid, Action<Utf8JsonWriter>? data = null) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("code", code);
        if (data is not null)
        {
            writer.WritePropertyName("data");
            data(writer);
        }

        writer.WriteString("message", message);
        writer.WriteString("rid", rid);
        writer.WriteEndObject();
    });

    /// <summary>The token response: bare JSON, no envelope.</summary>
    public static byte[] Token(string accessToken, long expiresIn) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("access_token", accessToken);
        writer.WriteNumber("expires_in", expiresIn);
        writer.WriteEndObject();
    });

    /// <summary>A create's <c>data</c>: with <c>next_action</c>, without <c>pay_time</c>.</summary>
    public static Action<Utf8JsonWriter> CreatedData(PaymentRecord record, SimulatedPayment payment) => writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("order_id", payment.OrderId);
        writer.WriteString("merchant_order_id", payment.MerchantOrderId);
        writer.WriteString("amount", record.AmountText);
        writer.WriteString("currency", payment.Currency);
        writer.WriteString("create_time", GatewayTimeFormat.Format(payment.CreateTime));
        writer.WriteStartObject("next_action");
        writer.WriteString("type", "render_qrcode");
        writer.WriteString("url", payment.QrCodeUrl.AbsoluteUri);
        writer.WriteEndObject();
        writer.WriteString("status", PaymentStore.Wire(payment.Status));
        writer.WriteEndObject();
    };

    /// <summary>A query's <c>data</c>: the status, and <c>pay_time</c> once paid.</summary>
    public static Action<Utf8JsonWriter> QueriedData(PaymentRecord record, SimulatedPayment payment) => writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("order_id", payment.OrderId);
        writer.WriteString("merchant_order_id", payment.MerchantOrderId);
        writer.WriteString("amount", record.AmountText);
        writer.WriteString("currency", payment.Currency);
        writer.WriteString("status", PaymentStore.Wire(payment.Status));
        writer.WriteString("create_time", GatewayTimeFormat.Format(payment.CreateTime));
        if (payment.PayTime is { } payTime)
        {
            writer.WriteString("pay_time", GatewayTimeFormat.Format(payTime));
        }

        writer.WriteEndObject();
    };

    /// <summary>The callback body, compact as the gateway sends it: <c>{"notify_type":"payment_success","data":{"order_id":"…","merchant_order_id":"…"}}</c>.</summary>
    public static byte[] PaymentSuccessNotification(string orderId, string merchantOrderId) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("notify_type", "payment_success");
        writer.WriteStartObject("data");
        writer.WriteString("order_id", orderId);
        writer.WriteString("merchant_order_id", merchantOrderId);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string ToLowerInvariantAscii(this string hex) => string.Create(hex.Length, hex, static (span, source) =>
    {
        for (int i = 0; i < source.Length; i++)
        {
            char c = source[i];
            span[i] = c is >= 'A' and <= 'F' ? (char)(c + 32) : c;
        }
    });
}
