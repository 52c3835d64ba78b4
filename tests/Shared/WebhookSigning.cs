using System.Security.Cryptography;
using System.Text;

namespace AlipayHk.Pay.Shared;

/// <summary>Signs bodies the way the gateway does: HEX(SHA256(body + "." + key)), lower-case.</summary>
internal static class WebhookSigning
{
    internal static string Sign(string body, string key) => Sign(Encoding.UTF8.GetBytes(body), key);

    internal static string Sign(byte[] body, string key) =>
        Convert.ToHexString(SHA256.HashData([.. body, .. Encoding.UTF8.GetBytes("." + key)])).ToLowerInvariant();

    internal static string PaymentSuccess(string orderId, string merchantOrderId) =>
        "{\"notify_type\":\"payment_success\",\"data\":{\"order_id\":\"" + orderId + "\",\"merchant_order_id\":\"" + merchantOrderId + "\"}}";
}
