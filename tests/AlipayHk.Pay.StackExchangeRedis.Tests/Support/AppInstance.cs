using System.Collections.Concurrent;
using AlipayHk.Pay.AspNetCore.Tests.Merchants;
using AlipayHk.Pay.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AlipayHk.Pay.StackExchangeRedis.Tests.Support;

/// <summary>
/// One instance of a merchant app, on Kestrel at 127.0.0.1: merchants <c>shop-a</c> and <c>shop-b</c> on the simulator,
/// each with its webhook endpoint (<c>/shop-a/notify</c>, <c>/shop-b/notify</c>), and Redis for what instances share.
/// Every handler run is counted in <see cref="HandlerRuns"/>, which the instances of one test share.
/// </summary>
internal sealed class AppInstance : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AppInstance(WebApplication app, Uri address, SemaphoreSlim queriesAnswered)
    {
        _app = app;
        Address = address;
        QueriesAnswered = queriesAnswered;
    }

    /// <summary>Released once per query the gateway answered this instance: a wait listens for its signal before its first.</summary>
    internal SemaphoreSlim QueriesAnswered { get; }

    internal Uri Address { get; }

    internal IServiceProvider Services => _app.Services;

    internal FakeLogCollector Logs => _app.Services.GetRequiredService<FakeLogCollector>();

    internal IAlipayHkPayClient Client(string merchant) => _app.Services.GetRequiredKeyedService<IAlipayHkPayClient>(merchant);

    internal static async Task<AppInstance> StartAsync(
        AlipayHkGatewaySimulator simulator,
        string redisConfiguration,
        string keyPrefix,
        ConcurrentDictionary<string, int> handlerRuns,
        Action<AlipayHkPayOptions>? tweak = null,
        Action<IServiceCollection>? services = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddFakeLogging();
        foreach (string merchant in new[] { TwoShops.A, TwoShops.B })
        {
            builder.Services.AddAlipayHkPay(merchant, options =>
            {
                TwoShops.Configure(simulator, merchant)(options);
                tweak?.Invoke(options);
            });
        }

        builder.Services.AddAlipayHkPayRedis(options =>
        {
            options.Configuration = redisConfiguration;
            options.KeyPrefix = keyPrefix;
            options.OperationTimeout = TimeSpan.FromSeconds(2); // a loaded test machine is slow, not down: down is detected without waiting
        });
        services?.Invoke(builder.Services);
        var queriesAnswered = new SemaphoreSlim(0);
        foreach (string merchant in new[] { TwoShops.A, TwoShops.B })
        {
            TwoShops.CountQueries(builder.Services, merchant, queriesAnswered);
        }

        (WebApplication app, Uri address) = await TwoShops.StartAppAsync(builder, keepLogging: true, map: app =>
        {
            foreach (string merchant in new[] { TwoShops.A, TwoShops.B })
            {
                app.MapAlipayHkPayWebhook($"/{merchant}/notify", merchant, (webhook, _) =>
                {
                    handlerRuns.AddOrUpdate($"{webhook.MerchantName}:{webhook.DeduplicationKey}", 1, (_, n) => n + 1);
                    return Task.CompletedTask;
                });
            }
        });
        return new AppInstance(app, address, queriesAnswered);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
