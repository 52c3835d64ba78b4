using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace AlipayHk.Pay.Benchmarks;

/// <summary>
/// Webhook verify-and-parse (and the signature check alone) for a typical callback and a 4 KB one, against a
/// hand-written check: concatenate, hash, hex-encode, compare strings, then JsonDocument.Parse and read notify_type.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class WebhookBenchmarks
{
    private readonly AlipayHkPayWebhookVerifier _verifier = new(GatewayExamples.WebhookKey);
    private readonly byte[] _suffix = Encoding.UTF8.GetBytes("." + GatewayExamples.WebhookKey);
    private byte[] _body = null!;
    private string _signature = null!;

    [Params("typical", "4KB")]
    public string Body { get; set; } = "typical";

    [GlobalSetup]
    public void Setup()
    {
        _body = Body == "4KB" ? GatewayExamples.LargeWebhook : GatewayExamples.TypicalWebhook;
        _signature = Convert.ToHexStringLower(SHA256.HashData([.. _body, .. _suffix]));
        if (Body == "typical" && _signature != GatewayExamples.TypicalWebhookSignature)
        {
            throw new InvalidOperationException("The test vector does not verify.");
        }

        if (!_verifier.SignatureMatches(_body, _signature) || VerifyAndParseHandWritten() != VerifyAndParseSdk().NotifyType)
        {
            throw new InvalidOperationException("The SDK and the baseline disagree.");
        }
    }

    [Benchmark(Baseline = true, Description = "by hand")]
    [BenchmarkCategory("Verify and parse")]
    public string VerifyAndParseHandWritten()
    {
        if (!SignatureMatchesHandWritten())
        {
            throw new InvalidOperationException("Bad signature.");
        }

        using JsonDocument document = JsonDocument.Parse(_body);
        return document.RootElement.GetProperty("notify_type").GetString()!;
    }

    [Benchmark(Description = "SDK")]
    [BenchmarkCategory("Verify and parse")]
    public WebhookNotification VerifyAndParseSdk() => _verifier.Verify(_body, _signature);

    [Benchmark(Baseline = true, Description = "by hand")]
    [BenchmarkCategory("Signature only")]
    public bool SignatureMatchesHandWritten() =>
        string.Equals(Convert.ToHexStringLower(SHA256.HashData([.. _body, .. _suffix])), _signature, StringComparison.OrdinalIgnoreCase);

    [Benchmark(Description = "SDK")]
    [BenchmarkCategory("Signature only")]
    public bool SignatureMatchesSdk() => _verifier.SignatureMatches(_body, _signature);
}
