using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace AlipayHk.Pay.Tests.Webhooks;

/// <summary>A stand-in gateway on 127.0.0.1: the token endpoint, and a query endpoint whose answer a test sets.</summary>
internal sealed class GatewayStub : IDisposable
{
    internal const string QueryPath = "/mch-api/v1/pa/payment_intents/query";

    private GatewayStub(WireMockServer server)
    {
        Server = server;
        Server.Given(Request.Create().WithPath("/mch-api/v1/auth").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"access_token":"test-token","expires_in":3600}"""));
    }

    internal WireMockServer Server { get; }

    internal Uri BaseAddress => new(Server.Url! + "/");

    /// <summary>The bodies of the queries the gateway received, in order.</summary>
    internal IReadOnlyList<string> QueryBodies =>
        [.. Server.LogEntries.Where(e => e.RequestMessage?.Path == QueryPath).Select(e => e.RequestMessage!.Body ?? string.Empty)];

    internal static GatewayStub Start()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new GatewayStub(WireMockServer.Start($"http://127.0.0.1:{port}"));
    }

    /// <summary>Makes every query answer with this payment.</summary>
    internal void AnswerQueriesWith(string orderId, string merchantOrderId, string status)
    {
        string body = $$$"""{"code":0,"data":{"order_id":"{{{orderId}}}","merchant_order_id":"{{{merchantOrderId}}}","amount":"50","currency":"HKD","status":"{{{status}}}","create_time":"2023-08-31T04:44:05.928696203+08:00"},"message":"ok","rid":"rid-1"}""";
        AnswerQueriesWith(200, body);
    }

    internal void AnswerQueriesWith(int statusCode, string body) =>
        Server.Given(Request.Create().WithPath(QueryPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(statusCode).WithHeader("Content-Type", "application/json").WithBody(body));

    /// <summary>Adds the SDK, pointed at this stub, with small timeouts and no retries.</summary>
    internal void Configure(IServiceCollection services, string webhookKey) =>
        services.AddAlipayHkPay(o =>
        {
            o.BaseAddress = BaseAddress;
            o.Uid = "39172931";
            o.ClientSecret = "client-secret-for-tests";
            o.WebhookKey = webhookKey;
            o.AttemptTimeout = TimeSpan.FromSeconds(5);
            o.TotalTimeout = TimeSpan.FromSeconds(5);
            o.MaxRetryAttempts = 0;
        });

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
    }
}
