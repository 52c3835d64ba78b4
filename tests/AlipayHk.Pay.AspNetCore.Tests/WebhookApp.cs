using AlipayHk.Pay.Tests.Infrastructure;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AlipayHk.Pay.AspNetCore.Tests;

/// <summary>A real app on Kestrel at 127.0.0.1 with the webhook endpoint at <c>/notify</c>, and an HttpClient for it.</summary>
internal sealed class WebhookApp : IAsyncDisposable
{
    internal const string Key = "webhook-key-for-endpoint-tests";
    internal const string Path = "/notify";

    private readonly WebApplication _app;

    private WebhookApp(WebApplication app, Uri address)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    internal HttpClient Client { get; }

    internal IServiceProvider Services => _app.Services;

    internal FakeLogCollector Logs => _app.Services.GetRequiredService<FakeLogCollector>();

    internal static Task<WebhookApp> StartAsync(GatewayStub gateway, Func<ConfirmedWebhook, CancellationToken, Task> handler, Action<IServiceCollection>? configure = null) =>
        StartAsync(gateway, (webhook, _, ct) => handler(webhook, ct), configure);

    internal static async Task<WebhookApp> StartAsync(GatewayStub gateway, Func<ConfirmedWebhook, HttpContext, CancellationToken, Task> handler, Action<IServiceCollection>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddFakeLogging();
        gateway.Configure(builder.Services, Key);
        configure?.Invoke(builder.Services);

        WebApplication app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        app.MapAlipayHkPayWebhook(Path, handler);
        await app.StartAsync(TestContext.Current.CancellationToken);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new WebhookApp(app, new Uri(address));
    }

    /// <summary>Posts a body signed with the app's key.</summary>
    internal Task<HttpResponseMessage> PostSignedAsync(string body) => PostAsync(body, WebhookSigning.Sign(body, Key));

    internal Task<HttpResponseMessage> PostAsync(string body, string? signature, string header = "Signature")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(header, signature);
        }

        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
