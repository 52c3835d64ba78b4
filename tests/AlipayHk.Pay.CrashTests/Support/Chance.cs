namespace AlipayHk.Pay.CrashTests.Support;

/// <summary>
/// One seeded <see cref="Random"/> for a whole run, safe to share between threads. The seed reproduces the run's
/// decisions (which shopper pays, which callback is lost, what kind of kill comes when), not the threads' timing.
/// </summary>
internal sealed class Chance(int seed)
{
    private readonly Random _random = new(seed);

    internal int Seed => seed;

    /// <summary>A seed for a run: <c>ALIPAYHK_CRASH_SEED</c> when set (to replay a failure), else a new one.</summary>
    internal static int NewSeed() =>
        int.TryParse(Environment.GetEnvironmentVariable("ALIPAYHK_CRASH_SEED"), out int seed) ? seed : Random.Shared.Next();

    /// <summary>True with probability <paramref name="p"/>.</summary>
    internal bool Odds(double p)
    {
        lock (_random)
        {
            return _random.NextDouble() < p;
        }
    }

    /// <summary>A number in [0, 1).</summary>
    internal double Next()
    {
        lock (_random)
        {
            return _random.NextDouble();
        }
    }

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    internal int Between(int min, int max)
    {
        lock (_random)
        {
            return _random.Next(min, max + 1);
        }
    }

    /// <summary>A time in [<paramref name="minMs"/>, <paramref name="maxMs"/>] milliseconds.</summary>
    internal TimeSpan Millis(int minMs, int maxMs) => TimeSpan.FromMilliseconds(Between(minMs, maxMs));

    internal T Pick<T>(IReadOnlyList<T> items) => items[Between(0, items.Count - 1)];
}
