using Microsoft.Extensions.DependencyInjection;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace AlipayHk.Pay.Tests.Infrastructure;

/// <summary>The CBTIS gateway, stubbed with WireMock on 127.0.0.1. Bodies are the published examples unless a test says otherwise.</summary>
public sealed class GatewayStub : IDisposable
{
    public const string Uid = "39172931";
    public const string ClientSecret = "cs_live_SECRET_6d0e8fa7b10c40c3";
    public const string AccessToken = "at_TOKEN_7f1c2e9a55b34d21";
    public const string TokenPath = "/mch-api/v1/auth";
    public const string CreatePath = "/mch-api/v1/pa/payment_intents/create";
    public const string QueryPath = "/mch-api/v1/pa/payment_intents/query";

    /// <summary>The create response published on the gateway's page.</summary>
    public const string PublishedCreateResponse = PublishedExamples.CreateResponse;

    /// <summary>The query response published on the gateway's page (TWD and all).</summary>
    public const string PublishedQueryResponse = PublishedExamples.QueryResponse;

    public const string NotFoundResponse = """{"code":40004,"message":"order not found","rid":"rid-not-found"}""";

    public GatewayStub()
    {
        Server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        GivenToken();
    }

    public WireMockServer Server { get; }

    public Uri BaseAddress => new(Server.Url!);

    public GatewayStub GivenToken(string token = AccessToken, int expiresIn = 3600, int delayMs = 0)
    {
        var response = Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "application/json")
            .WithBody($$"""{"access_token":"{{token}}","expires_in":{{expiresIn}}}""");
        if (delayMs > 0)
        {
            response = response.WithDelay(delayMs);
        }

        Server.Given(Request.Create().WithPath(TokenPath).UsingGet()).AtPriority(10).RespondWith(response);
        return this;
    }

    /// <summary>Answers <paramref name="path"/> with a JSON body (every time, or for one step of a scenario).</summary>
    /// <remarks>A later call for the same path replaces the earlier answer.</remarks>
    public GatewayStub Given(string path, string body, int status = 200, string contentType = "application/json", string? headerName = null, string? headerValue = null)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithBody(body);
        if (headerName is not null)
        {
            response = response.WithHeader(headerName, headerValue!);
        }

        Server.Given(Request.Create().WithPath(path).UsingAnyMethod()).WithGuid(MappingId(path)).AtPriority(5).RespondWith(response);
        return this;
    }

    /// <summary>Makes every query answer with this payment (replacing any earlier answer).</summary>
    public GatewayStub AnswerQueriesWith(string orderId, string merchantOrderId, string status) =>
        Given(QueryPath, $$$"""{"code":0,"data":{"order_id":"{{{orderId}}}","merchant_order_id":"{{{merchantOrderId}}}","amount":"50","currency":"HKD","status":"{{{status}}}","create_time":"2023-08-31T04:44:05.928696203+08:00"},"message":"ok","rid":"rid-1"}""");

    /// <summary>Makes every query answer with this status and body (replacing any earlier answer).</summary>
    public GatewayStub AnswerQueriesWith(int statusCode, string body) => Given(QueryPath, body, statusCode);

    /// <summary>The bodies of the queries the gateway received, in order.</summary>
    public IReadOnlyList<string> QueryBodies => [.. Requests(QueryPath).Select(e => e.RequestMessage!.Body ?? string.Empty)];

    /// <summary>Adds the SDK to <paramref name="services"/>, pointed at this stub, with small timeouts and no retries.</summary>
    public void Configure(IServiceCollection services, string webhookKey) =>
        services.AddAlipayHkPay(o =>
        {
            o.BaseAddress = BaseAddress;
            o.Uid = Uid;
            o.ClientSecret = ClientSecret;
            o.WebhookKey = webhookKey;
            o.AttemptTimeout = TimeSpan.FromSeconds(5);
            o.TotalTimeout = TimeSpan.FromSeconds(5);
            o.MaxRetryAttempts = 0;
        });

    /// <summary>Answers <paramref name="path"/> with each response in turn; the last one repeats.</summary>
    public GatewayStub GivenSequence(string path, params Func<IResponseBuilder, IResponseBuilder>[] responses)
    {
        string scenario = $"{path}-{Guid.NewGuid():N}";
        for (int i = 0; i < responses.Length; i++)
        {
            var step = Server.Given(Request.Create().WithPath(path).UsingAnyMethod()).AtPriority(1).InScenario(scenario);
            if (i > 0)
            {
                step = step.WhenStateIs(State(i));
            }

            if (i < responses.Length - 1)
            {
                step = step.WillSetStateTo(State(i + 1));
            }

            step.RespondWith(responses[i](Response.Create()));
        }

        return this;
    }

    /// <summary>
    /// Answers <paramref name="path"/> with <paramref name="body"/>, except that the first call hangs until the returned
    /// handle is disposed: a gateway that never answers, for timeout tests.
    /// </summary>
    public HangingCall GivenFirstCallHangs(string path, string body)
    {
        var call = new HangingCall();
        Server.Given(Request.Create().WithPath(path).UsingAnyMethod()).AtPriority(1).RespondWith(
            Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(async _ =>
            {
                if (call.Enter() == 1)
                {
                    await call.Released;
                }

                return body;
            }));
        return call;
    }

    /// <summary>Answers the first call to <paramref name="path"/> with <paramref name="first"/>; holds every later call open until disposed.</summary>
    public HangingCall GivenAnswerThenHang(string path, Func<IResponseBuilder, IResponseBuilder> first)
    {
        var call = new HangingCall();
        string scenario = $"{path}-{Guid.NewGuid():N}";
        Server.Given(Request.Create().WithPath(path).UsingAnyMethod()).AtPriority(1).InScenario(scenario).WillSetStateTo("answered")
            .RespondWith(first(Response.Create()));
        Server.Given(Request.Create().WithPath(path).UsingAnyMethod()).AtPriority(1).InScenario(scenario).WhenStateIs("answered").RespondWith(
            Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(async _ =>
            {
                call.Enter();
                await call.Released;
                return string.Empty;
            }));
        return call;
    }

    private static Guid MappingId(string path) =>
        new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(path)));

    private static string State(int i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static IResponseBuilder Json(IResponseBuilder r, string body, int status = 200) =>
        r.WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    public IReadOnlyList<ILogEntry> Requests(string path) =>
        Server.LogEntries.Where(e => e.RequestMessage!.Path == path).ToList();

    public void Dispose() => Server.Dispose();
}

/// <summary>The first call to a stubbed path, held open until disposed.</summary>
public sealed class HangingCall : IDisposable
{
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Completes when the first call has reached the gateway.</summary>
    public Task Arrived => _arrived.Task;

    internal Task Released => _release.Task;

    internal int Enter()
    {
        int n = Interlocked.Increment(ref _calls);
        _arrived.TrySetResult();
        return n;
    }

    public void Dispose() => _release.TrySetResult();
}
