using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace AlipayHk.Pay.Benchmarks;

/// <summary>
/// Where a webhook's verify-and-parse spends its time (<c>-- --webhook-breakdown</c>): the pieces of
/// <see cref="AlipayHkPayWebhookVerifier.Verify(ReadOnlySpan{byte}, string?)"/> timed apart, in alternating rounds like
/// <see cref="PairedProbe"/>, each printed as its median time per call and its share of one reader pass.
/// </summary>
internal static class WebhookBreakdown
{
    internal static void Run()
    {
        foreach (string body in new[] { "typical", "4KB" })
        {
            var webhook = new WebhookBenchmarks { Body = body };
            webhook.Setup();
            byte[] bytes = body == "4KB" ? GatewayExamples.LargeWebhook : GatewayExamples.TypicalWebhook;
            byte[] suffix = Encoding.UTF8.GetBytes("." + GatewayExamples.WebhookKey);
            string signature = Convert.ToHexStringLower(SHA256.HashData([.. bytes, .. suffix]));
            byte[] hash = new byte[32], hash2 = new byte[32];
            const string time = "2023-08-23T18:25:43.511Z";
            const string longTime = "2023-08-31T04:44:05.928696203+08:00";
            (string Name, Func<object> Call)[] cases =
            [
                ("sha", () => webhook.Sha256OfSignedBytes()),
                ("reader", () => webhook.ReaderPass()),
                ("yardstick (sha, then reader)", () => webhook.Yardstick()),
                ("verify and parse", () => webhook.VerifyAndParseSdk()),
                ("sha, then parse", () => webhook.Sha256OfSignedBytes() + webhook.ParseSdk().NotifyType.Length),
                ("sha, then one-pass", () => webhook.Sha256OfSignedBytes() + webhook.ParseOnePass().NotifyType.Length),
                ("signature", () => webhook.SignatureMatchesSdk()),
                ("parse", () => webhook.ParseSdk()),
                ("sha of a stack copy", () => ShaOfStackCopy(bytes, suffix)),
                ("FixedTimeEquals, 32 B", () => CryptographicOperations.FixedTimeEquals(hash, hash2)),
                ("HashesEqual, 32 B", () => AlipayHkPayWebhookVerifier.HashesEqual(hash, hash2)),
                ("hex decode", () => Convert.FromHexString(signature, hash, out _, out _)),
                ("utf8 check", () => Utf8.IsValid(bytes)),
                ("deserialize DTO", () => JsonSerializer.Deserialize(bytes, WebhookJsonContext.Default.WebhookPayload)!),
                ("deserialize benchmark DTO", () => JsonSerializer.Deserialize(bytes, HandWrittenWebhookJsonContext.Default.HwWebhook)!),
                ("body copy", () => bytes.AsSpan().ToArray()),
                ("GatewayTime ...511Z", () => GatewayTime.TryParse(time, out _)),
                ("GatewayTime 9 digits +08:00", () => GatewayTime.TryParse(longTime, out _)),
                ("AmountFormat 105.00", () => AmountFormat.TryParse("105.00", out _)),
            ];
            Dictionary<string, double> medians = Measure(31, body == "4KB" ? 4000 : 20000, cases);
            Console.WriteLine($"webhook {body} ({bytes.Length} bytes):");
            foreach ((string name, double ns) in medians)
            {
                Console.WriteLine($"  {name,-30} {ns,8:F0} ns  {ns / medians["reader"],5:F2}× reader");
            }
        }
    }

    /// <summary>What the signature check hashes: the body and the suffix copied into one stack buffer.</summary>
    private static int ShaOfStackCopy(ReadOnlySpan<byte> body, ReadOnlySpan<byte> suffix)
    {
        Span<byte> hash = stackalloc byte[32];
        int length = body.Length + suffix.Length;
        if (length > 2048)
        {
            return SHA256.HashData([.. body, .. suffix], hash);
        }

        Span<byte> data = stackalloc byte[length];
        body.CopyTo(data);
        suffix.CopyTo(data[body.Length..]);
        return SHA256.HashData(data, hash);
    }

    private static Dictionary<string, double> Measure(int rounds, int callsPerRound, (string Name, Func<object> Call)[] cases)
    {
        for (int i = 0; i < 200_000 / cases.Length; i++)
        {
            foreach ((_, Func<object> call) in cases)
            {
                call();
            }
        }

        var samples = cases.ToDictionary(c => c.Name, _ => new List<double>());
        for (int round = 0; round < rounds; round++)
        {
            foreach ((string name, Func<object> call) in cases)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < callsPerRound; i++)
                {
                    call();
                }

                samples[name].Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / callsPerRound);
            }
        }

        return samples.ToDictionary(s => s.Key, s => s.Value.Order().ElementAt(s.Value.Count / 2));
    }
}
