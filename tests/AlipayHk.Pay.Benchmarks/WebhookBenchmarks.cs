using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace AlipayHk.Pay.Benchmarks;

/// <summary>
/// Webhook verify-and-parse (and the signature check alone) for a typical callback and a 4 KB one, against a
/// hand-written check: concatenate, hash, hex-encode, compare strings, then deserialize into a source-generated DTO
/// with the same typed fields the SDK reads (ids, refund amount and times). The SDK also keeps <c>data</c> for
/// <see cref="WebhookNotification.Data"/>, which outlives the body buffer, so it copies the <c>data</c> object's bytes
/// once; <c>Data</c> itself is parsed on first access, which the "SDK, then Data" row measures.
/// The budget's yardstick (category "Verify and parse", baseline): one SHA-256 of the signed bytes
/// (<c>body + "." + key</c>, already concatenated) plus one <see cref="Utf8JsonReader"/> pass over the body, each also
/// measured alone; the SDK's verify-and-parse may take at most 2× it.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MedianColumn]
public class WebhookBenchmarks
{
    private readonly AlipayHkPayWebhookVerifier _verifier = new(GatewayExamples.WebhookKey);
    private readonly byte[] _suffix = Encoding.UTF8.GetBytes("." + GatewayExamples.WebhookKey);
    private readonly byte[] _hash = new byte[32];
    private byte[] _body = null!;
    private byte[] _signed = null!;
    private string _signature = null!;

    [Params("typical", "4KB")]
    public string Body { get; set; } = "typical";

    [GlobalSetup]
    public void Setup()
    {
        _body = Body == "4KB" ? GatewayExamples.LargeWebhook : GatewayExamples.TypicalWebhook;
        _signed = [.. _body, .. _suffix];
        _signature = Convert.ToHexStringLower(SHA256.HashData(_signed));
        if (Body == "typical" && _signature != GatewayExamples.TypicalWebhookSignature)
        {
            throw new InvalidOperationException("The test vector does not verify.");
        }

        WebhookNotification sdk = VerifyAndParseSdk(), onePass = ParseOnePass();
        if (!_verifier.SignatureMatches(_body, _signature) || VerifyAndParseHandWritten() != sdk.NotifyType
            || (onePass.NotifyType, onePass.OrderId, onePass.MerchantOrderId, onePass.Refund?.RefundId, onePass.Refund?.OrderAmount, onePass.Refund?.RefundTime)
            != (sdk.NotifyType, sdk.OrderId, sdk.MerchantOrderId, sdk.Refund?.RefundId, sdk.Refund?.OrderAmount, sdk.Refund?.RefundTime))
        {
            throw new InvalidOperationException("The SDK and the baseline disagree.");
        }
    }

    /// <summary>The yardstick: one SHA-256 of the signed bytes, then one reader pass over the body.</summary>
    [Benchmark(Baseline = true, Description = "yardstick: SHA-256 + Utf8JsonReader pass")]
    [BenchmarkCategory("Verify and parse")]
    public int Yardstick() => Sha256OfSignedBytes() + ReaderPass();

    [Benchmark(Description = "one SHA-256 of body + \".\" + key")]
    [BenchmarkCategory("Verify and parse")]
    public int Sha256OfSignedBytes() => SHA256.HashData(_signed, _hash);

    [Benchmark(Description = "one Utf8JsonReader pass over the body")]
    [BenchmarkCategory("Verify and parse")]
    public int ReaderPass()
    {
        var reader = new Utf8JsonReader(_body);
        int tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    [Benchmark(Description = "by hand (hash, hex, DTO)")]
    [BenchmarkCategory("Verify and parse")]
    public string VerifyAndParseHandWritten()
    {
        if (!SignatureMatchesHandWritten())
        {
            throw new InvalidOperationException("Bad signature.");
        }

        HwWebhook webhook = JsonSerializer.Deserialize(_body, HandWrittenWebhookJsonContext.Default.HwWebhook)
            ?? throw new InvalidOperationException("Not a callback.");
        return webhook.NotifyType ?? throw new InvalidOperationException("No notify_type.");
    }

    [Benchmark(Description = "SDK")]
    [BenchmarkCategory("Verify and parse")]
    public WebhookNotification VerifyAndParseSdk() => _verifier.Verify(_body, _signature);

    /// <summary>The breakdown of the SDK row: its parse alone (the signature check alone is the "Signature only" SDK row).</summary>
    [Benchmark(Description = "SDK, parse only")]
    [BenchmarkCategory("Verify and parse")]
    public WebhookNotification ParseSdk() => WebhookPayloadParser.Parse(_body);

    /// <summary>What the parse cost before the refactor: the one-pass reader parser of commit 8c46870 (copied into the benchmarks), for comparison.</summary>
    [Benchmark(Description = "parse only, one reader pass (8c46870's parser)")]
    [BenchmarkCategory("Verify and parse")]
    public WebhookNotification ParseOnePass() => OnePassWebhookParser.Parse(_body);

    [Benchmark(Description = "SDK, then Data")]
    [BenchmarkCategory("Verify and parse")]
    public JsonElement VerifyAndParseSdkThenData() => _verifier.Verify(_body, _signature).Data;

    [Benchmark(Baseline = true, Description = "by hand")]
    [BenchmarkCategory("Signature only")]
    public bool SignatureMatchesHandWritten() =>
        string.Equals(Convert.ToHexStringLower(SHA256.HashData([.. _body, .. _suffix])), _signature, StringComparison.OrdinalIgnoreCase);

    [Benchmark(Description = "SDK")]
    [BenchmarkCategory("Signature only")]
    public bool SignatureMatchesSdk() => _verifier.SignatureMatches(_body, _signature);
}

internal sealed class HwWebhook
{
    [JsonPropertyName("notify_type")] public string? NotifyType { get; set; }
    [JsonPropertyName("data")] public HwWebhookData? Data { get; set; }
}

internal sealed class HwWebhookData
{
    [JsonPropertyName("order_id")] public string? OrderId { get; set; }
    [JsonPropertyName("merchant_order_id")] public string? MerchantOrderId { get; set; }
    [JsonPropertyName("refund_id")] public string? RefundId { get; set; }
    [JsonPropertyName("merchant_refund_id")] public string? MerchantRefundId { get; set; }
    [JsonPropertyName("uid")] public long? Uid { get; set; }
    [JsonPropertyName("order_amount")] [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] public decimal? OrderAmount { get; set; }
    [JsonPropertyName("create_time")] public DateTimeOffset? CreateTime { get; set; }
    [JsonPropertyName("refund_time")] public DateTimeOffset? RefundTime { get; set; }
}

[JsonSerializable(typeof(HwWebhook))]
internal sealed partial class HandWrittenWebhookJsonContext : JsonSerializerContext
{
}
