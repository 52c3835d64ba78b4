using System.Diagnostics;

namespace AlipayHk.Pay.Benchmarks;

/// <summary>
/// A check of the budget ratios that holds up on a shared, loaded machine (<c>-- --paired</c>): BenchmarkDotNet measures
/// one row after another, seconds apart, so when other builds come and go between two rows their ratio moves by tens
/// of percent. Here the rows of one ratio take turns in short rounds (a few thousand calls each, in one process, after a
/// long warm-up) and each round gives one ratio; the median of the rounds' ratios is printed, with its quartiles. Times
/// only (bytes are exact in the BenchmarkDotNet run). Same setups as <see cref="WebhookBenchmarks"/> and
/// <see cref="PaymentBenchmarks"/> (loopback).
/// </summary>
internal static class PairedProbe
{
    internal static async Task RunAsync()
    {
        foreach (string body in new[] { "typical", "4KB" })
        {
            var webhook = new WebhookBenchmarks { Body = body };
            webhook.Setup();
            Rows rows = Measure(
                rounds: 51,
                callsPerRound: body == "4KB" ? 4000 : 20000,
                ("yardstick", () => webhook.Yardstick()),
                ("sha", () => webhook.Sha256OfSignedBytes()),
                ("reader", () => webhook.ReaderPass()),
                ("sdk", () => webhook.VerifyAndParseSdk()),
                ("parse", () => webhook.ParseSdk()),
                ("onepass", () => webhook.ParseOnePass()),
                ("signature", () => webhook.SignatureMatchesSdk()));
            Report($"webhook {body}: SDK verify+parse ÷ yardstick (SHA-256, then a reader pass, in one call)", rows, r => r["sdk"] / r["yardstick"]);
            Report($"webhook {body}: SDK verify+parse ÷ (SHA-256 alone + reader pass alone)", rows, r => r["sdk"] / (r["sha"] + r["reader"]));
            Report($"webhook {body}: SDK signature check ÷ SHA-256", rows, r => r["signature"] / r["sha"]);
            Report($"webhook {body}: SDK parse ÷ reader pass", rows, r => r["parse"] / r["reader"]);
            Report($"webhook {body}: 8c46870's one-pass parse ÷ reader pass", rows, r => r["onepass"] / r["reader"]);
            Report($"webhook {body}: (SDK signature check + 8c46870's parse) ÷ (SHA-256 + reader pass)", rows, r => (r["signature"] + r["onepass"]) / (r["sha"] + r["reader"]));
        }

        var payments = new PaymentBenchmarks { Gateway = PaymentBenchmarks.Transport.Loopback };
        payments.Setup();
        try
        {
            Rows loopback = await MeasureAsync(
                rounds: 41,
                callsPerRound: 400,
                ("std create", () => payments.CreateHandWrittenStandard()),
                ("sdk create", () => payments.CreateSdk()),
                ("std query", () => payments.GetHandWrittenStandard()),
                ("sdk query", () => payments.GetSdk()));
            Report("loopback create: SDK ÷ by hand + standard resilience", loopback, r => r["sdk create"] / r["std create"]);
            Report("loopback query: SDK ÷ by hand + standard resilience", loopback, r => r["sdk query"] / r["std query"]);
        }
        finally
        {
            payments.Cleanup();
        }
    }

    private sealed class Rows : List<Dictionary<string, double>>;

    private static Rows Measure(int rounds, int callsPerRound, params (string Name, Func<object> Call)[] cases)
    {
        for (int i = 0; i < 200_000 / cases.Length; i++)
        {
            foreach ((_, Func<object> call) in cases)
            {
                call();
            }
        }

        var rows = new Rows();
        for (int round = 0; round < rounds; round++)
        {
            var row = new Dictionary<string, double>();
            foreach ((string name, Func<object> call) in cases)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < callsPerRound; i++)
                {
                    call();
                }

                row[name] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / callsPerRound;
            }

            rows.Add(row);
        }

        return rows;
    }

    private static async Task<Rows> MeasureAsync(int rounds, int callsPerRound, params (string Name, Func<Task> Call)[] cases)
    {
        for (int i = 0; i < 30_000 / cases.Length; i++)
        {
            foreach ((_, Func<Task> call) in cases)
            {
                await call();
            }
        }

        var rows = new Rows();
        for (int round = 0; round < rounds; round++)
        {
            var row = new Dictionary<string, double>();
            foreach ((string name, Func<Task> call) in cases)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < callsPerRound; i++)
                {
                    await call();
                }

                row[name] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / callsPerRound;
            }

            rows.Add(row);
        }

        return rows;
    }

    private static void Report(string what, Rows rows, Func<Dictionary<string, double>, double> ratio)
    {
        double[] ratios = [.. rows.Select(ratio).Order()];
        Console.WriteLine($"{what}: median {ratios[ratios.Length / 2]:F2} (quartiles {ratios[ratios.Length / 4]:F2}–{ratios[3 * ratios.Length / 4]:F2}, {ratios.Length} rounds)");
    }
}
