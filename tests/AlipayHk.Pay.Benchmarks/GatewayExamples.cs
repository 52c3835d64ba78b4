using System.Text;

namespace AlipayHk.Pay.Benchmarks;

/// <summary>The gateway's published example responses (alipayhk-instore-qrcode.txt), byte for byte what the in-memory gateway returns.</summary>
internal static class GatewayExamples
{
    internal const string BaseAddress = "https://gateway.benchmark.test/";
    internal const string CreatePath = "/mch-api/v1/pa/payment_intents/create";
    internal const string QueryPath = "/mch-api/v1/pa/payment_intents/query";
    internal const string TokenPath = "/mch-api/v1/auth";
    internal const string AccessToken = "bench-access-token-7f3a2b1c9d8e4f60a1b2c3d4e5f60718";
    internal const string WebhookKey = "6d0e8fa7b10c40c3a48c0c2be41cb178";

    internal static readonly byte[] CreateResponse = Encoding.UTF8.GetBytes("""
        {
        "code": 0,
        "data": {
        "order_id": "C991289984923795789123",
        "merchant_order_id": "P9297895081903",
        "amount": "50",
        "currency": "HKD",
        "create_time": "2023-08-31T04:44:05.928696203+08:00",
        "next_action": {
        "type": "render_qrcode",
        "url": "https://a.payment.link/code"
        },
        "status": "PENDING"
        },
        "message": "ok",
        "rid": "3647575c0e1049439e484a231864da2c"
        }
        """);

    internal static readonly byte[] QueryResponse = Encoding.UTF8.GetBytes("""
        {
        "code": 0,
        "data": {
        "order_id": "C991289984923795789123",
        "merchant_order_id": "P9297895081903",
        "amount": "50",
        "currency": "TWD",
        "status": "SUCCEEDED",
        "create_time": "2023-08-31T04:44:05.928696203+08:00",
        "pay_time": "2023-08-31T04:44:05.928696203+08:00"
        },
        "message": "ok",
        "rid": "3647575c0e1049439e484a231864da2c"
        }
        """);

    internal static readonly byte[] TokenResponse = Encoding.UTF8.GetBytes($$"""{"access_token":"{{AccessToken}}","expires_in":3600}""");

    /// <summary>The gateway's signed test vector: a typical callback (229 bytes).</summary>
    internal static readonly byte[] TypicalWebhook = Encoding.UTF8.GetBytes("""{"notify_type":"refund_success","data":{"uid":39172931,"refund_id":"C34368224017070000","merchant_refund_id":"P2164521756312637123","order_amount":"105.00","create_time":"2023-08-23T18:25:43.511Z","refund_time":"2023-08-23T18:28:16.511Z"}}""");

    internal const string TypicalWebhookSignature = "3ce5a54d8a76590179f0f4192a6c0efddf20e118966b6276b1bfbbc0b33f362a";

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
