namespace AlipayHk.Pay.Tests;

/// <summary>
/// The gateway's published examples (alipayhk-instore-qrcode.txt and gateway-contract.md), byte for byte. One copy,
/// compiled into the test projects and the benchmarks.
/// </summary>
internal static class PublishedExamples
{
    /// <summary>The create response published on the gateway's page.</summary>
    internal const string CreateResponse = """
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
        """;

    /// <summary>The query response published on the gateway's page (TWD and all).</summary>
    internal const string QueryResponse = """
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
        """;

    /// <summary>The webhook test vector from the gateway's page: a refund callback, its key and its signature.</summary>
    internal const string WebhookVectorBody = """{"notify_type":"refund_success","data":{"uid":39172931,"refund_id":"C34368224017070000","merchant_refund_id":"P2164521756312637123","order_amount":"105.00","create_time":"2023-08-23T18:25:43.511Z","refund_time":"2023-08-23T18:28:16.511Z"}}""";

    internal const string WebhookVectorKey = "6d0e8fa7b10c40c3a48c0c2be41cb178";

    internal const string WebhookVectorSignature = "3ce5a54d8a76590179f0f4192a6c0efddf20e118966b6276b1bfbbc0b33f362a";
}
