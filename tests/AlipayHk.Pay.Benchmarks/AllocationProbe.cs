using System.Text.Json;
using AlipayHk.Pay.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Refit;

namespace AlipayHk.Pay.Benchmarks;

/// <summary>
/// `-- --probe`: bytes allocated per call by each piece of create and query, measured with
/// GC.GetAllocatedBytesForCurrentThread after warm-up. A quick way to see where an allocation difference comes from.
/// </summary>
internal static class AllocationProbe
{
    internal static async Task RunAsync()
    {
        using var gateway = new InMemoryGateway();
        await using ServiceProvider provider = new ServiceCollection().AddSdkOver(gateway).BuildServiceProvider();
        IAlipayHkPayClient sdk = provider.GetRequiredService<IAlipayHkPayClient>();
        IAlipayHkPaymentsApi api = provider.GetRequiredKeyedService<IAlipayHkPaymentsApi>("");
        var request = new CreatePaymentRequest { Amount = 50m, MerchantOrderId = "P9297895081903", Description = "Order P9297895081903", Wallet = AlipayHkWallet.AlipayHk };
        PaymentReference reference = PaymentReference.ByOrderId("C991289984923795789123");
        var createBody = new CreatePaymentIntentBody
        {
            Amount = "50", Currency = "HKD", MerchantOrderId = "P9297895081903", Description = "Order P9297895081903",
            PaymentMethod = new PaymentMethodBody { Type = "alipayhk", AlipayHk = new AlipayHkMethodBody { Flow = "csb_qrcode", PaymentMethod = "ALIPAYHK" } },
        };
        var queryBody = new QueryPaymentIntentBody { OrderId = "C991289984923795789123" };
        PaymentIntentData createData = JsonSerializer.Deserialize(GatewayExamples.CreateResponse, GatewayJsonContext.Default.GatewayEnvelopePaymentIntentData)!.Data!;
        PaymentIntentData queryData = JsonSerializer.Deserialize(GatewayExamples.QueryResponse, GatewayJsonContext.Default.GatewayEnvelopePaymentIntentData)!.Data!;

        using var plain = new HttpClient(gateway, disposeHandler: false) { BaseAddress = new Uri(GatewayExamples.BaseAddress) };
        var byHand = new HandWrittenClient(plain, GatewayExamples.AccessToken);
        var byHandOverChain = new HandWrittenClient(provider.GetRequiredService<IHttpClientFactory>().CreateClient("AlipayHkPay.Payments"), GatewayExamples.AccessToken);
        await Measure("by hand create", async () => await byHand.CreateAsync(50m, "P9297895081903", "Order P9297895081903", default));
        await Measure("by hand query", async () => await byHand.QueryAsync("C991289984923795789123", default));
        await Measure("by hand over chain create", async () => await byHandOverChain.CreateAsync(50m, "P9297895081903", "Order P9297895081903", default));
        await Measure("by hand over chain query", async () => await byHandOverChain.QueryAsync("C991289984923795789123", default));
        await Measure("deserialize create response", () => { JsonSerializer.Deserialize(GatewayExamples.CreateResponse, GatewayJsonContext.Default.GatewayEnvelopePaymentIntentData); return Task.CompletedTask; });
        await Measure("deserialize query response", () => { JsonSerializer.Deserialize(GatewayExamples.QueryResponse, GatewayJsonContext.Default.GatewayEnvelopePaymentIntentData); return Task.CompletedTask; });
        var buffered = new RefitSettings(new SystemTextJsonContentSerializer(GatewayJsonContext.Default.Options)) { RequestBodySerialization = RequestBodySerializationMode.Buffered };
        var streamed = new RefitSettings(new SystemTextJsonContentSerializer(GatewayJsonContext.Default.Options));
        await Measure("refit body create buffered", async () => { using var c = GeneratedRequestRunner.CreateBodyContent(buffered, createBody, BodySerializationMethod.Default, true); await c.CopyToAsync(Stream.Null); });
        await Measure("refit body query buffered", async () => { using var c = GeneratedRequestRunner.CreateBodyContent(buffered, queryBody, BodySerializationMethod.Default, true); await c.CopyToAsync(Stream.Null); });
        await Measure("refit body create default", async () => { using var c = GeneratedRequestRunner.CreateBodyContent(streamed, createBody, BodySerializationMethod.Default, true); await c.CopyToAsync(Stream.Null); });
        await Measure("refit body query default", async () => { using var c = GeneratedRequestRunner.CreateBodyContent(streamed, queryBody, BodySerializationMethod.Default, true); await c.CopyToAsync(Stream.Null); });
        await Measure("async deserialize create (SDK)", async () => await JsonSerializer.DeserializeAsync(new MemoryStream(GatewayExamples.CreateResponse, false), GatewayJsonContext.Default.GatewayEnvelopePaymentIntentData));
        await Measure("async deserialize query (SDK)", async () => await JsonSerializer.DeserializeAsync(new MemoryStream(GatewayExamples.QueryResponse, false), GatewayJsonContext.Default.GatewayEnvelopePaymentIntentData));
        await Measure("async deserialize create (hand)", async () => await JsonSerializer.DeserializeAsync(new MemoryStream(GatewayExamples.CreateResponse, false), HandWrittenJsonContext.Default.HwEnvelope));
        await Measure("async deserialize query (hand)", async () => await JsonSerializer.DeserializeAsync(new MemoryStream(GatewayExamples.QueryResponse, false), HandWrittenJsonContext.Default.HwEnvelope));
        await Measure("SDK create", async () => await sdk.CreatePaymentAsync(request));
        await Measure("SDK query", async () => await sdk.GetPaymentAsync(reference));
        await Measure("Refit create", async () => { using var r = await api.CreatePaymentIntentAsync(createBody, default); });
        await Measure("Refit query", async () => { using var r = await api.QueryPaymentIntentAsync(queryBody, default); });
        await Measure("Refit create + envelope", async () => await GatewayResponse.ReceiveAsync(api.CreatePaymentIntentAsync(createBody, default), GatewayJsonContext.Default.GatewayEnvelopePaymentIntentData, "create", default));
        await Measure("Refit query + envelope", async () => await GatewayResponse.ReceiveAsync(api.QueryPaymentIntentAsync(queryBody, default), GatewayJsonContext.Default.GatewayEnvelopePaymentIntentData, "query", default));
        await Measure("map create data", () => { PaymentIntentMapper.ToIntent(createData, "rid", NullLogger.Instance); return Task.CompletedTask; });
        await Measure("map query data", () => { PaymentIntentMapper.ToIntent(queryData, "rid", NullLogger.Instance); return Task.CompletedTask; });
        await Measure("serialize create body", () => { JsonSerializer.SerializeToUtf8Bytes(createBody, GatewayJsonContext.Default.CreatePaymentIntentBody); return Task.CompletedTask; });
        await Measure("serialize query body", () => { JsonSerializer.SerializeToUtf8Bytes(queryBody, GatewayJsonContext.Default.QueryPaymentIntentBody); return Task.CompletedTask; });
        await Measure("validate create request", () => { PaymentValidationProbe(request); return Task.CompletedTask; });
    }

    /// <summary>`-- --loop create|query`: µs per call over successive batches, to see warm-up and tiering.</summary>
    internal static async Task LoopAsync(string what)
    {
        using var gateway = new InMemoryGateway();
        await using ServiceProvider provider = new ServiceCollection().AddSdkOver(gateway).BuildServiceProvider();
        IAlipayHkPayClient sdk = provider.GetRequiredService<IAlipayHkPayClient>();
        var request = new CreatePaymentRequest { Amount = 50m, MerchantOrderId = "P9297895081903", Description = "Order P9297895081903", Wallet = AlipayHkWallet.AlipayHk };
        PaymentReference reference = PaymentReference.ByOrderId("C991289984923795789123");
        for (int batch = 0; batch < 30; batch++)
        {
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            for (int i = 0; i < 16384; i++)
            {
                _ = what == "create" ? await sdk.CreatePaymentAsync(request) : await sdk.GetPaymentAsync(reference);
            }

            double us = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMicroseconds / 16384;
            Console.WriteLine($"batch {batch,2}: {us:0.00} us/op, gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}, methods jitted {System.Runtime.JitInfo.GetCompiledMethodCount()}");
        }
    }

    private static void PaymentValidationProbe(CreatePaymentRequest request) => PaymentValidation.Validate(request);

    private static async Task Measure(string name, Func<Task> action)
    {
        for (int i = 0; i < 2000; i++)
        {
            await action();
        }

        const int Runs = 1000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Runs; i++)
        {
            await action().ConfigureAwait(false);
        }

        long after = GC.GetAllocatedBytesForCurrentThread();
        Console.WriteLine($"{name,-28} {(after - before) / (double)Runs,8:0} B/op (this thread; continuations elsewhere not counted)");
    }
}
