using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.Benchmarks;

/// <summary>
/// A gateway on 127.0.0.1 (Kestrel, HTTP/1.1): drains the request body and answers with the same example bytes as
/// <see cref="InMemoryGateway"/>. A real socket round trip, without the internet's latency.
/// </summary>
internal sealed class LoopbackGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackGateway(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<LoopbackGateway> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        WebApplication app = builder.Build();
        app.Run(static async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            string path = context.Request.Path.Value ?? string.Empty;
            byte[] body = path.EndsWith(GatewayExamples.QueryPath, StringComparison.Ordinal) ? GatewayExamples.QueryResponse
                : path.EndsWith(GatewayExamples.CreatePath, StringComparison.Ordinal) ? GatewayExamples.CreateResponse
                : path.EndsWith(GatewayExamples.TokenPath, StringComparison.Ordinal) ? GatewayExamples.TokenResponse
                : [];
            context.Response.StatusCode = body.Length == 0 ? StatusCodes.Status404NotFound : StatusCodes.Status200OK;
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackGateway(app, new Uri(address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
