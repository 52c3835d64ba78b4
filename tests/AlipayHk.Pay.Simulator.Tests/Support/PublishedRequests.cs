namespace AlipayHk.Pay.Simulator.Tests.Support;

/// <summary>
/// The example requests of the gateway's page (alipayhk-instore-qrcode.txt), byte for byte, but for the
/// <c>notify_url</c>: the page's <c>https://put_your_site_here/example_url</c> is replaced by a receiver on 127.0.0.1,
/// since no test sends traffic beyond this machine.
/// </summary>
internal static class PublishedRequests
{
    public const string PublishedNotifyUrl = "https://put_your_site_here/example_url";

    /// <summary>"Step 1. Initialize a Payment Intent: Example Request".</summary>
    public const string Create = """
        {
        "amount": "1",
        "currency": "HKD",
        "merchant_order_id": "P9297895081903",
        "payment_method": {
        "type": "alipayhk",
        "alipayhk": {
        "flow": "csb_qrcode",
        "payment_method": "ALIPAYCN"
        }
        },
        "description": "Instore Payment",
        "notify_url": "https://put_your_site_here/example_url"
        }
        """;

    /// <summary>"Step 3. Retrieve a payment: Example Request" (its <c>order_id</c> starts with P: a quirk of the page).</summary>
    public const string Query = """
        {
        "order_id": "P991289984923795789123",
        "merchant_order_id": "P9297895081903"
        }
        """;

    public static string CreateWithNotifyUrl(Uri notifyUrl) => Create.Replace(PublishedNotifyUrl, notifyUrl.AbsoluteUri, StringComparison.Ordinal);
}
