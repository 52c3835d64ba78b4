using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using AlipayHk.Pay;
using AotSmoke;
using Microsoft.Extensions.DependencyInjection;

// Native AOT smoke test: create, query and verify a webhook through the SDK against a loopback stub gateway.
// Prints each step; exits 0 when every step gave the expected answer, 1 otherwise.
const string ClientSecret = "aot-smoke-client-secret";
try
{
    // Telemetry under Native AOT too: every AlipayHk.Pay span and measurement is recorded.
    var spans = new List<Activity>();
    using var spanListener = new ActivityListener
    {
        ShouldListenTo = source => source.Name == AlipayHkPayTelemetry.ActivitySourceName,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        ActivityStopped = span => { lock (spans) { spans.Add(span); } },
    };
    ActivitySource.AddActivityListener(spanListener);
    int measurements = 0;
    using var meterListener = new MeterListener
    {
        InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == AlipayHkPayTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        },
    };
    meterListener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref measurements));
    meterListener.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref measurements));
    meterListener.Start();

    await using StubGateway gateway = await StubGateway.StartAsync();
    Console.WriteLine($"stub gateway listening on {gateway.Address}");

    var services = new ServiceCollection();
    services.AddAlipayHkPay(options =>
    {
        options.BaseAddress = gateway.Address;
        options.Uid = "39172931";
        options.ClientSecret = ClientSecret;
    });
    await using ServiceProvider provider = services.BuildServiceProvider();
    IAlipayHkPayClient client = provider.GetRequiredService<IAlipayHkPayClient>();

    PaymentIntent created = await client.CreatePaymentAsync(new CreatePaymentRequest
    {
        Amount = 50m,
        MerchantOrderId = "P9297895081903",
        Description = "AOT smoke test",
        Wallet = AlipayHkWallet.AlipayHk,
        NotifyUrl = new Uri("https://merchant.example/alipayhk/notify"),
    });
    Check(created.OrderId == StubGateway.OrderId && created.Status == PaymentStatus.Pending
        && created.NextAction?.Url == new Uri("https://a.payment.link/code") && created.Amount == 50m
        && created.CreateTime == new DateTimeOffset(2023, 8, 31, 4, 44, 5, new TimeSpan(8, 0, 0)).AddTicks(9286962),
        $"create: order {created.OrderId} is {created.Status}, QR code {created.NextAction?.Url}, rid {created.RequestId}");

    PaymentIntent queried = await client.GetPaymentAsync(PaymentReference.ByOrderId(created.OrderId));
    Check(queried.Status == PaymentStatus.Succeeded && queried.PayTime is not null && queried.Currency == "TWD",
        $"query: order {queried.OrderId} is {queried.Status}, paid at {queried.PayTime:O}");

    IAlipayHkPayWebhookVerifier verifier = provider.GetRequiredService<IAlipayHkPayWebhookVerifier>();
    byte[] callback = """{"notify_type":"payment_success","data":{"order_id":"C991289984923795789123","merchant_order_id":"P9297895081903"}}"""u8.ToArray();
    string signature = Convert.ToHexStringLower(SHA256.HashData([.. callback, .. Encoding.UTF8.GetBytes("." + ClientSecret)]));
    WebhookNotification notification = verifier.Verify(callback, signature);
    Check(notification.NotifyType == WebhookNotifyTypes.PaymentSuccess && notification.OrderId == StubGateway.OrderId,
        $"webhook: {notification.NotifyType} for order {notification.OrderId} verified");

    try
    {
        verifier.Verify(callback, "00" + signature[2..]);
        Check(false, "webhook: a wrong signature was accepted");
    }
    catch (AlipayHkPayWebhookException rejected) when (rejected.Reason == WebhookFailureReason.SignatureMismatch)
    {
        Check(true, "webhook: a wrong signature is rejected");
    }

    // The gateway's published test vector, with its own key.
    WebhookNotification vector = new AlipayHkPayWebhookVerifier("6d0e8fa7b10c40c3a48c0c2be41cb178").Verify(
        """{"notify_type":"refund_success","data":{"uid":39172931,"refund_id":"C34368224017070000","merchant_refund_id":"P2164521756312637123","order_amount":"105.00","create_time":"2023-08-23T18:25:43.511Z","refund_time":"2023-08-23T18:28:16.511Z"}}""",
        "3ce5a54d8a76590179f0f4192a6c0efddf20e118966b6276b1bfbbc0b33f362a");
    Check(vector.Refund is { OrderAmount: 105.00m, RefundId: "C34368224017070000" }, "webhook: the gateway's test vector verifies");

    Check(gateway.Requests == 3, $"stub: {gateway.Requests} requests (token, create, query)");
    Check(spans.Exists(span => span.DisplayName == "AlipayHkPay.CreatePayment" && (string?)span.GetTagItem("alipayhk.order_id") == StubGateway.OrderId)
        && spans.Exists(span => span.DisplayName == "AlipayHkPay.GetPayment") && measurements >= 3,
        $"telemetry: {spans.Count} spans ({string.Join(", ", spans.Select(span => span.DisplayName))}), {measurements} measurements");

    // AlipayHk.Pay.StackExchangeRedis, natively, with its Redis down (nothing listens on port 1): duplicate claims fail
    // at once (the endpoint would answer 503), a completion signal stays in-process, and the token is fetched locally.
    var redisServices = new ServiceCollection();
    redisServices.AddAlipayHkPay(options =>
    {
        options.BaseAddress = gateway.Address;
        options.Uid = "39172931";
        options.ClientSecret = ClientSecret;
    });
    redisServices.AddAlipayHkPayRedis(options => options.Configuration = "127.0.0.1:1,abortConnect=false,connectTimeout=200,connectRetry=0");
    await using ServiceProvider redisProvider = redisServices.BuildServiceProvider();
    try
    {
        await redisProvider.GetRequiredService<AlipayHk.Pay.IAlipayHkPayWebhookDeduplicationStore>().TryClaimAsync("payment:C1:SUCCEEDED", default);
        Check(false, "redis: a claim succeeded without Redis");
    }
    catch (StackExchange.Redis.RedisException)
    {
        Check(true, "redis: without Redis a duplicate claim fails at once");
    }

    IAlipayHkPayCompletionSignals signals = redisProvider.GetRequiredService<IAlipayHkPayCompletionSignals>();
    PaymentIntent? heard = null;
    using (signals.Subscribe(null, PaymentReference.ByOrderId(queried.OrderId), p => heard = p))
    {
        await signals.PublishAsync(null, queried, default);
    }

    Check(heard == queried, "redis: a completion signal reaches this process's waits without Redis");
    PaymentIntent again = await redisProvider.GetRequiredService<IAlipayHkPayClient>().GetPaymentAsync(PaymentReference.ByOrderId(created.OrderId));
    Check(again.Status == PaymentStatus.Succeeded && gateway.Requests == 5, $"redis: without Redis the token is fetched locally ({gateway.Requests} requests)");
    Console.WriteLine("AOT smoke test passed");
    return 0;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"AOT smoke test FAILED: {ex}");
    return 1;
}

static void Check(bool ok, string step)
{
    Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {step}");
    if (!ok)
    {
        throw new InvalidOperationException($"Unexpected result: {step}");
    }
}
