using System.Text;
using AlipayHk.Pay.Tests;

namespace AlipayHk.Pay.Benchmarks;

/// <summary>The gateway's published example responses (alipayhk-instore-qrcode.txt), byte for byte what the in-memory gateway returns.</summary>
internal static class GatewayExamples
{
    internal const string BaseAddress = "https://gateway.benchmark.test/";
    internal const string CreatePath = "/mch-api/v1/pa/payment_intents/create";
    internal const string QueryPath = "/mch-api/v1/pa/payment_intents/query";
    internal const string TokenPath = "/mch-api/v1/auth";
    internal const string AccessToken = "bench-access-token-7f3a2b1c9d8e4f60a1b2c3d4e5f60718";
    internal const string WebhookKey = PublishedExamples.WebhookVectorKey;

    internal static readonly byte[] CreateResponse = Encoding.UTF8.GetBytes(PublishedExamples.CreateResponse);

    internal static readonly byte[] QueryResponse = Encoding.UTF8.GetBytes(PublishedExamples.QueryResponse);

    internal static readonly byte[] TokenResponse = Encoding.UTF8.GetBytes($$"""{"access_token":"{{AccessToken}}","expires_in":3600}""");

    /// <summary>The gateway's signed test vector: a typical callback (229 bytes).</summary>
    internal static readonly byte[] TypicalWebhook = Encoding.UTF8.GetBytes(PublishedExamples.WebhookVectorBody);

    internal const string TypicalWebhookSignature = PublishedExamples.WebhookVectorSignature;

    /// <summary>A payment callback padded to 4 KB with extra fields, as a gateway that adds metadata might send.</summary>
    internal static readonly byte[] LargeWebhook = BuildLargeWebhook(4096);

    private static byte[] BuildLargeWebhook(int size)
    {
        var json = new StringBuilder("""{"notify_type":"payment_success","data":{"order_id":"C991289984923795789123","merchant_order_id":"P9297895081903","amount":"50","currency":"HKD","status":"SUCCEEDED","create_time":"2023-08-31T04:44:05.928696203+08:00","pay_time":"2023-08-31T04:44:05.928696203+08:00","metadata":{""");
        int field = 0;
        while (json.Length < size - 64)
        {
            json.Append(field == 0 ? string.Empty : ",").Append("\"k").Append(field).Append("\":\"").Append('v', 40).Append('"');
            field++;
        }

        json.Append("}}}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }
}
