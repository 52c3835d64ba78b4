using System.Collections.Concurrent;
using System.Diagnostics;
using AlipayHk.Pay.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.Benchmarks.Scale;

/// <summary>
/// One instance of a merchant app for the scale probe, on Kestrel at 127.0.0.1: merchants <c>shop-a</c> and
/// <c>shop-b</c> on the simulator, a webhook endpoint per merchant (<c>/{merchant}/notify</c>) that counts handler runs
/// per outcome, and Redis when a connection string is given. Notes when each callback arrived, by order id.
/// </summary>
internal sealed class ScaleApp : IAsyncDisposable
{
    internal static readonly string[] Merchants = ["shop-a", "shop-b"];

    private readonly WebApplication _app;

    private ScaleApp(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    internal Uri Address { get; }

    internal IServiceProvider Services => _app.Services;

    internal IAlipayHkPayClient Client(string merchant) => _app.Services.GetRequiredKeyedService<IAlipayHkPayClient>(merchant);

    internal Uri NotifyUrl(string merchant) => new(Address, $"/{merchant}/notify");

    internal static async Task<ScaleApp> StartAsync(
        AlipayHkGatewaySimulator simulator,
        string? redis,
        string keyPrefix,
        ConcurrentDictionary<string, int> handlerRuns,
        ConcurrentDictionary<string, long> callbackArrivals,
        TimeSpan pollInitial,
        TimeSpan pollMax,
        TimeSpan? webhookBackstop = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        foreach (string merchant in Merchants)
        {
            builder.Services.AddAlipayHkPay(merchant, options =>
            {
                simulator.ConfigureClient(merchant, options);
                options.PollInitialDelay = pollInitial;
                options.PollMaxDelay = pollMax;
                options.WebhookBackstopDelay = webhookBackstop;
            });
        }

        if (redis is not null)
        {
            builder.Services.AddAlipayHkPayRedis(options =>
            {
                options.Configuration = redis;
                options.KeyPrefix = keyPrefix;
                options.OperationTimeout = TimeSpan.FromSeconds(2);
            });
        }

        WebApplication app = builder.Build();
        app.Use(async (context, next) =>
        {
            long arrived = Stopwatch.GetTimestamp();
            context.Request.EnableBuffering();
            using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
            string body = await reader.ReadToEndAsync(context.RequestAborted);
            context.Request.Body.Position = 0;
            int at = body.IndexOf("\"order_id\":\"", StringComparison.Ordinal);
            if (at >= 0)
            {
                int start = at + "\"order_id\":\"".Length;
                callbackArrivals.TryAdd(body[start..body.IndexOf('"', start)], arrived);
            }

            await next(context);
        });
        foreach (string merchant in Merchants)
        {
            app.MapAlipayHkPayWebhook($"/{merchant}/notify", merchant, (webhook, _) =>
            {
                handlerRuns.AddOrUpdate($"{webhook.MerchantName}:{webhook.DeduplicationKey}", 1, (_, n) => n + 1);
                return Task.CompletedTask;
            });
        }

        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ScaleApp(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
