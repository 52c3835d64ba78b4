using System.Security.Cryptography;
using System.Text;

namespace AlipayHk.Pay.Tests.Webhooks;

/// <summary>Signs bodies the way the gateway does: HEX(SHA256(body + "." + key)), lower-case.</summary>
internal static class WebhookSigning
{
    /// <summary>The gateway's published test vector.</summary>
    internal const string VectorBody = """{"notify_type":"refund_success","data":{"uid":39172931,"refund_id":"C34368224017070000","merchant_refund_id":"P2164521756312637123","order_amount":"105.00","create_time":"2023-08-23T18:25:43.511Z","refund_time":"2023-08-23T18:28:16.511Z"}}""";
    internal const string VectorKey = "6d0e8fa7b10c40c3a48c0c2be41cb178";
    internal const string VectorSignature = "3ce5a54d8a76590179f0f4192a6c0efddf20e118966b6276b1bfbbc0b33f362a";

    internal static string Sign(string body, string key) => Sign(Encoding.UTF8.GetBytes(body), key);

    internal static string Sign(byte[] body, string key) =>
        Convert.ToHexString(SHA256.HashData([.. body, .. Encoding.UTF8.GetBytes("." + key)])).ToLowerInvariant();

    internal static string PaymentSuccess(string orderId, string merchantOrderId) =>
        "{\"notify_type\":\"payment_success\",\"data\":{\"order_id\":\"" + orderId + "\",\"merchant_order_id\":\"" + merchantOrderId + "\"}}";
}
