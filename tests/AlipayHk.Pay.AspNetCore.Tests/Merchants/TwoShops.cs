using System.Collections.Concurrent;
using System.Net;
using AlipayHk.Pay.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.AspNetCore.Tests.Merchants;

/// <summary>
/// One simulator serving the default merchant and two named ones, <c>shop-a</c> and <c>shop-b</c>, each with its own
/// uid, secret and webhook key; and helpers to wire the real SDK to them with fast timings.
/// </summary>
internal static class TwoShops
{
    internal const string A = "shop-a";
    internal const string B = "shop-b";

    internal static Task<AlipayHkGatewaySimulator> StartSimulatorAsync(Action<AlipayHkGatewaySimulatorOptions>? tweak = null)
    {
        var options = new AlipayHkGatewaySimulatorOptions { CallbackRetryDelays = [] };
        options.Merchants.Add(new SimulatedMerchant { Name = A });
        options.Merchants.Add(new SimulatedMerchant { Name = B });
        tweak?.Invoke(options);
        return AlipayHkGatewaySimulator.StartAsync(options, TestContext.Current.CancellationToken);
    }

    /// <summary>The simulator's credentials for <paramref name="merchant"/> (<see langword="null"/>: the default), and timings fit for tests.</summary>
    internal static Action<AlipayHkPayOptions> Configure(AlipayHkGatewaySimulator simulator, string? merchant) => options =>
    {
        if (merchant is null)
        {
            simulator.ConfigureClient(options);
        }
        else
        {
            simulator.ConfigureClient(merchant, options);
        }

        Fast(options);
    };

    internal static void Fast(AlipayHkPayOptions options)
    {
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
        options.MaxRetryDelay = TimeSpan.FromMilliseconds(50);
        options.PollInitialDelay = TimeSpan.FromMilliseconds(20);
        options.PollMaxDelay = TimeSpan.FromMilliseconds(100);
        options.AttemptTimeout = TimeSpan.FromSeconds(5);
        options.TotalTimeout = TimeSpan.FromSeconds(20);
    }

    internal static CreatePaymentRequest Sale(string merchantOrderId, Uri? notifyUrl = null) => new()
    {
        Amount = 12.50m,
        MerchantOrderId = merchantOrderId,
        Description = "Two coffees",
        Wallet = AlipayHkWallet.AlipayHk,
        NotifyUrl = notifyUrl,
    };

    /// <summary>The bearer tokens the SDK sent, by merchant: recorded on the way out by a handler on each merchant's payments client.</summary>
    internal static ConcurrentDictionary<string, ConcurrentBag<string>> RecordBearerTokens(IServiceCollection services, params string[] merchants)
    {
        var sent = new ConcurrentDictionary<string, ConcurrentBag<string>>(StringComparer.Ordinal);
        foreach (string merchant in merchants)
        {
            ConcurrentBag<string> bag = sent.GetOrAdd(merchant, _ => []);
            services.AddHttpClient(AlipayHkPayClientNames.PaymentsFor(merchant)).AddHttpMessageHandler(() => new BearerRecorder(bag));
        }

        return sent;
    }

    /// <summary>Starts a web app on Kestrel at 127.0.0.1 and gives its address. Its log providers are taken off, unless <paramref name="keepLogging"/>.</summary>
    internal static async Task<(WebApplication App, Uri Address)> StartAppAsync(WebApplicationBuilder builder, Action<WebApplication> map, bool keepLogging = false)
    {
        if (!keepLogging)
        {
            builder.Logging.ClearProviders();
        }

        builder.WebHost.UseUrls("http://127.0.0.1:0");
        WebApplication app = builder.Build();
        map(app);
        await app.StartAsync(TestContext.Current.CancellationToken);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address));
    }

    /// <summary>Releases <paramref name="answered"/> once per query the gateway answered on the merchant's payments client (<see langword="null"/>: the default merchant).</summary>
    internal static void CountQueries(IServiceCollection services, string? merchant, SemaphoreSlim answered) =>
        services.AddHttpClient(merchant is null ? AlipayHkPayClientNames.Payments : AlipayHkPayClientNames.PaymentsFor(merchant))
            .AddHttpMessageHandler(() => new QueryCounter(answered));

    /// <summary>A custom token source: fetches the token itself (here from the simulator, as a vault service would), and counts its calls.</summary>
    internal sealed class VaultTokenSource(HttpClient http, string uid, string secret) : IAlipayHkPayTokenSource
    {
        private int _calls;

        internal int Calls => Volatile.Read(ref _calls);

        public async ValueTask<AlipayHkPayAccessToken> FetchTokenAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            using System.Text.Json.JsonDocument body = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(
                $"/mch-api/v1/auth?grant_type=client_credentials&uid={uid}&client_secret={secret}", cancellationToken));
            return new AlipayHkPayAccessToken(
                body.RootElement.GetProperty("access_token").GetString()!,
                DateTimeOffset.UtcNow.AddSeconds(body.RootElement.GetProperty("expires_in").GetInt64()));
        }
    }

    private sealed class QueryCounter(SemaphoreSlim answered) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri!.AbsolutePath.EndsWith("/query", StringComparison.Ordinal))
            {
                answered.Release();
            }

            return response;
        }
    }

    private sealed class BearerRecorder(ConcurrentBag<string> sent) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Headers.Authorization is { Scheme: "Bearer", Parameter: { } token })
            {
                sent.Add(token);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
