using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.Testing.Tests.Support;

/// <summary>
/// What <c>dotnet new webapp</c> gives: a real Kestrel app on 127.0.0.1 with <c>UseHttpsRedirection()</c>, so every
/// http:// request, the gateway's callback included, is answered 307 to its https:// port. Its webhook never runs.
/// </summary>
internal sealed class RedirectingApp : IAsyncDisposable
{
    public const int HttpsPort = 7443;
    public const string WebhookPath = "/webhooks/alipayhk";

    private readonly WebApplication _app;
    private int _handled;

    private RedirectingApp(WebApplication app) => _app = app;

    /// <summary>The app's webhook, on its http:// address: what a developer would give as the notify URL.</summary>
    public Uri NotifyUrl { get; private set; } = null!;

    /// <summary>Where the app redirects the webhook to.</summary>
    public static Uri RedirectedTo => new($"https://127.0.0.1:{HttpsPort}{WebhookPath}");

    /// <summary>How many callbacks reached the webhook itself (none: the redirect answers first).</summary>
    public int Handled => Volatile.Read(ref _handled);

    public static async Task<RedirectingApp> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.Configure<HttpsRedirectionOptions>(https => https.HttpsPort = HttpsPort);
        WebApplication app = builder.Build();
        var redirecting = new RedirectingApp(app);
        app.UseHttpsRedirection();
        app.MapPost(WebhookPath, () =>
        {
            Interlocked.Increment(ref redirecting._handled);
            return Results.Ok();
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        Uri address = new(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        redirecting.NotifyUrl = new Uri(address, WebhookPath);
        return redirecting;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
