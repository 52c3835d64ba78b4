using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AotSmoke;

/// <summary>
/// A loopback stand-in for the gateway on 127.0.0.1 (a free port): the token endpoint and the two payment intent
/// endpoints, answering with the published example responses. One RequestDelegate, no routing, no reflection.
/// </summary>
internal sealed class StubGateway : IAsyncDisposable
{
    internal const string Token = "aot-smoke-access-token";
    internal const string OrderId = "C991289984923795789123";

    private readonly WebApplication _app;

    private StubGateway(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    internal Uri Address { get; }

    internal int Requests { get; private set; }

    internal static async Task<StubGateway> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        WebApplication app = builder.Build();
        StubGateway? stub = null;
        app.Run(context => stub!.HandleAsync(context));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub = new StubGateway(app, new Uri(address + "/"));
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Requests++;
        HttpRequest request = context.Request;
        string path = request.Path.Value ?? string.Empty;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        (int status, string json) = (request.Method, path) switch
        {
            ("GET", "/mch-api/v1/auth") when request.Query["grant_type"] == "client_credentials" && request.Query["uid"] == "39172931"
                => (200, $$"""{"access_token":"{{Token}}","expires_in":3600}"""),
            ("POST", "/mch-api/v1/pa/payment_intents/create") when Authorized(request) && body.Contains("\"merchant_order_id\":\"P9297895081903\"", StringComparison.Ordinal)
                => (200, """{"code":0,"data":{"order_id":"C991289984923795789123","merchant_order_id":"P9297895081903","amount":"50","currency":"HKD","create_time":"2023-08-31T04:44:05.928696203+08:00","next_action":{"type":"render_qrcode","url":"https://a.payment.link/code"},"status":"PENDING"},"message":"ok","rid":"3647575c0e1049439e484a231864da2c"}"""),
            ("POST", "/mch-api/v1/pa/payment_intents/query") when Authorized(request) && body.Contains(OrderId, StringComparison.Ordinal)
                => (200, """{"code":0,"data":{"order_id":"C991289984923795789123","merchant_order_id":"P9297895081903","amount":"50","currency":"TWD","status":"SUCCEEDED","create_time":"2023-08-31T04:44:05.928696203+08:00","pay_time":"2023-08-31T04:44:05.928696203+08:00"},"message":"ok","rid":"3647575c0e1049439e484a231864da2c"}"""),
            _ => (400, """{"code":40000,"message":"the stub did not expect this request","rid":"stub"}"""),
        };

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    private static bool Authorized(HttpRequest request) => request.Headers.Authorization == "Bearer " + Token;
}
