using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AlipayHk.Pay.Tests.Infrastructure;

/// <summary>The SDK as a merchant app registers it, pointed at a <see cref="GatewayStub"/>, with fake time and captured logs.</summary>
public sealed class SdkHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    /// <param name="stub">The gateway.</param>
    /// <param name="configure">Changes to the SDK's options.</param>
    /// <param name="services">Registrations after <c>AddAlipayHkPay</c>.</param>
    /// <param name="before">Registrations before <c>AddAlipayHkPay</c> (app-wide defaults a host registers first).</param>
    public SdkHarness(GatewayStub stub, Action<AlipayHkPayOptions>? configure = null, Action<IServiceCollection>? services = null, Action<IServiceCollection>? before = null)
    {
        var collection = new ServiceCollection();
        before?.Invoke(collection);
        collection.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        collection.AddSingleton<TimeProvider>(Time);
        collection.AddAlipayHkPay(o =>
        {
            o.BaseAddress = stub.BaseAddress;
            o.Uid = GatewayStub.Uid;
            o.ClientSecret = GatewayStub.ClientSecret;
            o.RetryBaseDelay = TimeSpan.Zero; // Backoff is tested on its own; elsewhere retries are immediate.
            configure?.Invoke(o);
        });
        services?.Invoke(collection);
        _services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Client = _services.GetRequiredService<IAlipayHkPayClient>();
        Logs = _services.GetRequiredService<FakeLogCollector>();
    }

    public SignalingTimeProvider Time { get; } = new();

    public IAlipayHkPayClient Client { get; }

    public FakeLogCollector Logs { get; }

    public IServiceProvider Services => _services;

    /// <summary>Every log line written, with its exception, as one text.</summary>
    public string AllLogText() => string.Join('\n', Logs.GetSnapshot().Select(r => $"{r.Level} {r.Category} {r.Message} {r.Exception}"));

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
