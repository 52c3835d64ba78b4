using AlipayHk.Pay.Auth;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AlipayHk.Pay.Benchmarks;

/// <summary>The token-cache hit path: a fresh token handed out without locking (0 B expected).</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class TokenCacheBenchmarks
{
    private AccessTokenCache _cache = null!;
    private string _cachedToken = null!;
    private DateTimeOffset _cachedExpiry;

    [GlobalSetup]
    public void Setup()
    {
        var options = new StaticOptions(new AlipayHkPayOptions());
        _cache = new AccessTokenCache(new FixedTokenSource(), options, TimeProvider.System, NullLogger<AccessTokenCache>.Instance, new AlipayHk.Pay.Diagnostics.AlipayHkPayInstruments(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        _cache.GetTokenAsync(default).AsTask().GetAwaiter().GetResult(); // the miss, once
        _cachedToken = GatewayExamples.AccessToken;
        _cachedExpiry = DateTimeOffset.UtcNow.AddHours(1);
    }

    [Benchmark(Baseline = true, Description = "cached string + expiry check")]
    [BenchmarkCategory("Token cache hit")]
    public string HandWritten() =>
        TimeProvider.System.GetUtcNow() < _cachedExpiry - TimeSpan.FromSeconds(60) ? _cachedToken : throw new InvalidOperationException();

    [Benchmark(Description = "AccessTokenCache.GetTokenAsync")]
    [BenchmarkCategory("Token cache hit")]
    public string Sdk()
    {
        ValueTask<AlipayHkPayAccessToken> pending = _cache.GetTokenAsync(default);
        return pending.IsCompletedSuccessfully ? pending.Result.Value : throw new InvalidOperationException("The token was not cached.");
    }

    private sealed class FixedTokenSource : IAlipayHkPayTokenSource
    {
        public ValueTask<AlipayHkPayAccessToken> FetchTokenAsync(CancellationToken cancellationToken) =>
            new(new AlipayHkPayAccessToken(GatewayExamples.AccessToken, DateTimeOffset.UtcNow.AddHours(1)));
    }

    private sealed class StaticOptions(AlipayHkPayOptions value) : IOptionsMonitor<AlipayHkPayOptions>
    {
        public AlipayHkPayOptions CurrentValue => value;

        public AlipayHkPayOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<AlipayHkPayOptions, string?> listener) => null;
    }
}
