using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Perfolizer.Metrology;

// dotnet run -c Release --project tests/AlipayHk.Pay.Benchmarks -- --filter '*'
// Without --job, every benchmark runs 3 warm-up and 10 measured iterations (enough for ratios on a 2-core machine).
if (args is ["--paired"])
{
    await AlipayHk.Pay.Benchmarks.PairedProbe.RunAsync();
    return;
}

if (args is ["--sizes"])
{
    Console.WriteLine(AlipayHk.Pay.Benchmarks.CannedSizes.Describe());
    return;
}

if (args is ["--scale"])
{
    await AlipayHk.Pay.Benchmarks.Scale.ScaleProbe.RunAsync();
    return;
}

// Allocated bytes exact (not rounded to 0.01 KB): the budgets compare bytes.
IConfig config = DefaultConfig.Instance.WithSummaryStyle(SummaryStyle.Default.WithSizeUnit(SizeUnit.B));
if (!args.Any(a => a.StartsWith("--job", StringComparison.Ordinal) || a == "-j"))
{
    config = config.AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10).AsDefault());
}

BenchmarkSwitcher.FromAssembly(typeof(AlipayHk.Pay.Benchmarks.PaymentBenchmarks).Assembly).Run(args, config);
