using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/AlipayHk.Pay.Benchmarks -- --filter '*'
// Without --job, every benchmark runs 3 warm-up and 10 measured iterations (enough for ratios on a 2-core machine).
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

IConfig config = DefaultConfig.Instance;
if (!args.Any(a => a.StartsWith("--job", StringComparison.Ordinal) || a == "-j"))
{
    config = config.AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10).AsDefault());
}

BenchmarkSwitcher.FromAssembly(typeof(AlipayHk.Pay.Benchmarks.PaymentBenchmarks).Assembly).Run(args, config);
