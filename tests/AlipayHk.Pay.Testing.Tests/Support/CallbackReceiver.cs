using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.Testing.Tests.Support;

/// <summary>A merchant's webhook endpoint on 127.0.0.1: records every callback and answers with a chosen status.</summary>
internal sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<int, int> _statusForRequest;
    private readonly bool _hang;
    private readonly List<ReceivedCallback> _received = [];

    private CallbackReceiver(WebApplication app, Func<int, int> statusForRequest, bool hang)
    {
        _app = app;
        _statusForRequest = statusForRequest;
        _hang = hang;
    }

    public Uri NotifyUrl { get; private set; } = null!;

    public IReadOnlyList<ReceivedCallback> Received
    {
        get
        {
            lock (_received)
            {
                return _received.ToArray();
            }
        }
    }

    /// <summary>Answers 500 to the first <paramref name="failures"/> callbacks, then 200.</summary>
    public static Task<CallbackReceiver> StartAsync(int failures = 0) => StartAsync(n => n <= failures ? 500 : 200);

    /// <summary>Answers the n-th callback (1-based) with <paramref name="statusForRequest"/>(n).</summary>
    public static async Task<CallbackReceiver> StartAsync(Func<int, int> statusForRequest, bool hang = false)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var receiver = new CallbackReceiver(app, statusForRequest, hang);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        receiver.NotifyUrl = new Uri(new Uri(address), "/webhooks/alipayhk");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        int number;
        lock (_received)
        {
            _received.Add(new ReceivedCallback(
                context.Request.Method,
                context.Request.Path.Value!,
                context.Request.ContentType,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body.ToArray()));
            number = _received.Count;
        }

        if (_hang)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = _statusForRequest(number);
    }
}

internal sealed record ReceivedCallback(string Method, string Path, string? ContentType, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}
