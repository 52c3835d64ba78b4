using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using WireMock;
using WireMock.Logging;
using WireMock.ResponseBuilders;
using WireMock.Types;

namespace AlipayHk.Pay.Tests.Infrastructure;

/// <summary>
/// The CBTIS gateway stubbed on 127.0.0.1, for the .NET Framework build of the tests (run under Mono): the same members
/// as the WireMock-based GatewayStub.cs of the .NET builds, served by a small HTTP/1.1 server (keep-alive, Content-Length
/// bodies, <c>Expect: 100-continue</c>), matching as WireMock does: by path (and method), the lowest priority number
/// first, then the newest mapping; scenarios move from state to state.
/// </summary>
public sealed class GatewayStub : IDisposable
{
    public const string Uid = "39172931";
    public const string ClientSecret = "cs_live_SECRET_6d0e8fa7b10c40c3";
    public const string AccessToken = "at_TOKEN_7f1c2e9a55b34d21";
    public const string TokenPath = "/mch-api/v1/auth";
    public const string CreatePath = "/mch-api/v1/pa/payment_intents/create";
    public const string QueryPath = "/mch-api/v1/pa/payment_intents/query";
    public const string PublishedCreateResponse = PublishedExamples.CreateResponse;
    public const string PublishedQueryResponse = PublishedExamples.QueryResponse;
    public const string NotFoundResponse = """{"code":40004,"message":"order not found","rid":"rid-not-found"}""";

    public GatewayStub()
    {
        Server = new StubServer();
        GivenToken();
    }

    public StubServer Server { get; }

    public Uri BaseAddress => new(Server.Url);

    public GatewayStub GivenToken(string token = AccessToken, int expiresIn = 3600, int delayMs = 0)
    {
        var response = Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "application/json")
            .WithBody($$"""{"access_token":"{{token}}","expires_in":{{expiresIn}}}""");
        if (delayMs > 0)
        {
            response = response.WithDelay(delayMs);
        }

        Server.Add(new StubMapping(TokenPath, "GET", 10, (StubResponse)response));
        return this;
    }

    /// <summary>Answers <paramref name="path"/> with a JSON body; a later call for the same path replaces the earlier answer.</summary>
    public GatewayStub Given(string path, string body, int status = 200, string contentType = "application/json", string? headerName = null, string? headerValue = null)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithBody(body);
        if (headerName is not null)
        {
            response = response.WithHeader(headerName, headerValue!);
        }

        Server.Add(new StubMapping(path, null, 5, (StubResponse)response) { Id = "given:" + path });
        return this;
    }

    public GatewayStub AnswerQueriesWith(string orderId, string merchantOrderId, string status) =>
        Given(QueryPath, $$$"""{"code":0,"data":{"order_id":"{{{orderId}}}","merchant_order_id":"{{{merchantOrderId}}}","amount":"50","currency":"HKD","status":"{{{status}}}","create_time":"2023-08-31T04:44:05.928696203+08:00"},"message":"ok","rid":"rid-1"}""");

    public GatewayStub AnswerQueriesWith(int statusCode, string body) => Given(QueryPath, body, statusCode);

    public IReadOnlyList<string> QueryBodies => [.. Requests(QueryPath).Select(e => e.RequestMessage!.Body ?? string.Empty)];

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
            Server.Add(new StubMapping(path, null, 1, (StubResponse)responses[i](Response.Create()))
            {
                Scenario = scenario,
                WhenState = i > 0 ? State(i) : null,
                SetState = i < responses.Length - 1 ? State(i + 1) : null,
            });
        }

        return this;
    }

    public HangingCall GivenFirstCallHangs(string path, string body)
    {
        var call = new HangingCall();
        Server.Add(new StubMapping(path, null, 1, (StubResponse)Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(async _ =>
        {
            if (call.Enter() == 1)
            {
                await call.Released;
            }

            return body;
        })));
        return call;
    }

    public HangingCall GivenAnswerThenHang(string path, Func<IResponseBuilder, IResponseBuilder> first)
    {
        var call = new HangingCall();
        string scenario = $"{path}-{Guid.NewGuid():N}";
        Server.Add(new StubMapping(path, null, 1, (StubResponse)first(Response.Create())) { Scenario = scenario, SetState = "answered" });
        Server.Add(new StubMapping(path, null, 1, (StubResponse)Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(async _ =>
        {
            call.Enter();
            await call.Released;
            return string.Empty;
        }))
        { Scenario = scenario, WhenState = "answered" });
        return call;
    }

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
    private readonly TaskCompletionSource<bool> _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public Task Arrived => _arrived.Task;

    internal Task Released => _release.Task;

    internal int Enter()
    {
        int n = Interlocked.Increment(ref _calls);
        _arrived.TrySetResult(true);
        return n;
    }

    public void Dispose() => _release.TrySetResult(true);
}

/// <summary>One stubbed answer (WireMock's <c>IResponseBuilder</c>).</summary>
internal sealed class StubResponse : IResponseBuilder
{
    internal int Status { get; private set; } = 200;

    internal List<KeyValuePair<string, string>> Headers { get; } = [];

    internal Func<IRequestMessage, Task<string>> Body { get; private set; } = _ => Task.FromResult(string.Empty);

    internal int DelayMs { get; private set; }

    internal FaultType Fault { get; private set; }

    public IResponseBuilder WithStatusCode(int code)
    {
        Status = code;
        return this;
    }

    public IResponseBuilder WithHeader(string name, string value)
    {
        Headers.RemoveAll(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));
        Headers.Add(new(name, value));
        return this;
    }

    public IResponseBuilder WithBody(string body)
    {
        Body = _ => Task.FromResult(body);
        return this;
    }

    public IResponseBuilder WithBody(Func<IRequestMessage, Task<string>> body)
    {
        Body = body;
        return this;
    }

    public IResponseBuilder WithDelay(int milliseconds)
    {
        DelayMs = milliseconds;
        return this;
    }

    public IResponseBuilder WithFault(FaultType fault, double? percentage = null)
    {
        Fault = fault;
        return this;
    }
}

/// <summary>A path (and method) and its answer, with WireMock's priority and scenario rules.</summary>
internal sealed class StubMapping(string path, string? method, int priority, StubResponse response)
{
    internal string? Id { get; init; }

    internal string Path { get; } = path;

    internal string? Method { get; } = method;

    internal int Priority { get; } = priority;

    internal StubResponse Response { get; } = response;

    internal string? Scenario { get; init; }

    internal string? WhenState { get; init; }

    internal string? SetState { get; init; }

    internal long Added { get; set; }
}

internal sealed class StubRequest(string path, string method, string? body, IDictionary<string, WireMockList<string>> headers, IDictionary<string, WireMockList<string>> query) : IRequestMessage, ILogEntry
{
    public IDictionary<string, WireMockList<string>>? Query { get; } = query;

    public string Path { get; } = path;

    public string Method { get; } = method;

    public string? Body { get; } = body;

    public IDictionary<string, WireMockList<string>>? Headers { get; } = headers;

    public IRequestMessage? RequestMessage => this;
}

/// <summary>The HTTP/1.1 server behind <see cref="GatewayStub"/> (WireMock's <c>Server</c>).</summary>
public sealed class StubServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly object _gate = new();
    private readonly List<StubMapping> _mappings = [];
    private readonly List<ILogEntry> _log = [];
    private readonly Dictionary<string, string> _states = [];
    private readonly List<TcpClient> _connections = [];
    private readonly CancellationTokenSource _stopping = new();
    private long _added;

    internal StubServer()
    {
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _ = AcceptAsync();
    }

    public string Url { get; }

    public IReadOnlyList<ILogEntry> LogEntries
    {
        get
        {
            lock (_gate)
            {
                return [.. _log];
            }
        }
    }

    /// <summary>Removes every mapping and the log.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _mappings.Clear();
            _log.Clear();
        }
    }

    /// <summary>Puts every scenario back to its start.</summary>
    public void ResetScenarios()
    {
        lock (_gate)
        {
            _states.Clear();
        }
    }

    internal void Add(StubMapping mapping)
    {
        lock (_gate)
        {
            if (mapping.Id is not null)
            {
                _mappings.RemoveAll(m => m.Id == mapping.Id);
            }

            mapping.Added = ++_added;
            _mappings.Add(mapping);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _listener.Stop();
        lock (_gate)
        {
            foreach (TcpClient connection in _connections)
            {
                connection.Close();
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            lock (_gate)
            {
                _connections.Add(client);
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            using (client)
            {
                client.NoDelay = true;
                NetworkStream stream = client.GetStream();
                var reader = new HeadReader(stream);
                while (!_stopping.IsCancellationRequested)
                {
                    StubRequest? request = await ReadRequestAsync(reader, stream).ConfigureAwait(false);
                    if (request is null || !await AnswerAsync(request, stream).ConfigureAwait(false))
                    {
                        return;
                    }
                }
            }
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            lock (_gate)
            {
                _connections.Remove(client);
            }
        }
    }

    private static async Task<StubRequest?> ReadRequestAsync(HeadReader reader, NetworkStream stream)
    {
        string? requestLine = await reader.ReadLineAsync().ConfigureAwait(false);
        if (string.IsNullOrEmpty(requestLine))
        {
            return null;
        }

        string[] parts = requestLine!.Split(' ');
        var headers = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        for (string? line = await reader.ReadLineAsync().ConfigureAwait(false); !string.IsNullOrEmpty(line); line = await reader.ReadLineAsync().ConfigureAwait(false))
        {
            int colon = line!.IndexOf(':');
            string name = line.Substring(0, colon).Trim();
            if (!headers.TryGetValue(name, out List<string>? values))
            {
                headers[name] = values = [];
            }

            values.Add(line.Substring(colon + 1).Trim());
        }

        if (headers.TryGetValue("Expect", out List<string>? expect) && expect.Any(e => e.Equals("100-continue", StringComparison.OrdinalIgnoreCase)))
        {
            byte[] proceed = Encoding.ASCII.GetBytes("HTTP/1.1 100 Continue\r\n\r\n");
            await stream.WriteAsync(proceed, 0, proceed.Length).ConfigureAwait(false);
        }

        string? body = null;
        if (headers.TryGetValue("Content-Length", out List<string>? length) && int.Parse(length[0], System.Globalization.CultureInfo.InvariantCulture) is > 0 and int count)
        {
            body = Encoding.UTF8.GetString(await reader.ReadBytesAsync(count).ConfigureAwait(false));
        }

        string target = parts[1];
        int query = target.IndexOf('?');
        string path = query < 0 ? target : target.Substring(0, query);
        var parameters = (query < 0 ? string.Empty : target.Substring(query + 1)).Split(['&'], StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split(['='], 2))
            .GroupBy(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : string.Empty)
            .ToDictionary(g => g.Key, g => new WireMockList<string>(g));
        return new StubRequest(path, parts[0], body, headers.ToDictionary(h => h.Key, h => new WireMockList<string>(h.Value), StringComparer.OrdinalIgnoreCase), parameters);
    }

    /// <summary>Answers one request; false when the connection must close.</summary>
    private async Task<bool> AnswerAsync(StubRequest request, NetworkStream stream)
    {
        StubMapping? mapping;
        lock (_gate)
        {
            mapping = _mappings
                .Where(m => m.Path == request.Path && (m.Method is null || m.Method == request.Method) && InState(m))
                .OrderBy(m => m.Priority)
                .ThenByDescending(m => m.Added)
                .FirstOrDefault();
            if (mapping?.Scenario is { } scenario && mapping.SetState is { } next)
            {
                _states[scenario] = next;
            }
        }

        if (mapping is null)
        {
            Log(request);
            await WriteAsync(stream, 404, [new("Content-Type", "application/json")], """{"Status":"No matching mapping found"}""").ConfigureAwait(false);
            return true;
        }

        StubResponse response = mapping.Response;
        if (response.DelayMs > 0)
        {
            await Task.Delay(response.DelayMs, _stopping.Token).ConfigureAwait(false);
        }

        string? body = response.Fault == FaultType.NONE ? await response.Body(request).ConfigureAwait(false) : null;
        Log(request); // as WireMock: once the answer is ready (a held call is logged when it is let go)
        switch (response.Fault)
        {
            case FaultType.EMPTY_RESPONSE:
                return false;
            case FaultType.MALFORMED_RESPONSE_CHUNK:
                byte[] broken = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"cod");
                await stream.WriteAsync(broken, 0, broken.Length).ConfigureAwait(false);
                await stream.FlushAsync().ConfigureAwait(false);
                return false;
        }

        await WriteAsync(stream, response.Status, response.Headers, body!).ConfigureAwait(false);
        return true;
    }

    private void Log(StubRequest request)
    {
        lock (_gate)
        {
            _log.Add(request);
        }
    }

    private bool InState(StubMapping mapping)
    {
        if (mapping.Scenario is null)
        {
            return true;
        }

        _states.TryGetValue(mapping.Scenario, out string? state);
        return mapping.WhenState == state;
    }

    private static async Task WriteAsync(NetworkStream stream, int status, IEnumerable<KeyValuePair<string, string>> headers, string body)
    {
        byte[] content = Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder();
        head.Append("HTTP/1.1 ").Append(status).Append(' ').Append(Reason(status)).Append("\r\n");
        foreach (KeyValuePair<string, string> header in headers)
        {
            head.Append(header.Key).Append(": ").Append(header.Value).Append("\r\n");
        }

        head.Append("Content-Length: ").Append(content.Length).Append("\r\n\r\n");
        byte[] bytes = [.. Encoding.ASCII.GetBytes(head.ToString()), .. content];
        await stream.WriteAsync(bytes, 0, bytes.Length).ConfigureAwait(false);
        await stream.FlushAsync().ConfigureAwait(false);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    };

    /// <summary>Reads lines and then bytes from one connection, keeping what it read ahead for the next request.</summary>
    private sealed class HeadReader(NetworkStream stream)
    {
        private readonly byte[] _buffer = new byte[8192];
        private int _start;
        private int _end;

        internal async Task<string?> ReadLineAsync()
        {
            var line = new List<byte>();
            while (true)
            {
                if (_start == _end && !await FillAsync().ConfigureAwait(false))
                {
                    return line.Count == 0 ? null : Encoding.ASCII.GetString([.. line]);
                }

                byte b = _buffer[_start++];
                if (b == '\n')
                {
                    return Encoding.ASCII.GetString([.. line]).TrimEnd('\r');
                }

                line.Add(b);
            }
        }

        internal async Task<byte[]> ReadBytesAsync(int count)
        {
            byte[] bytes = new byte[count];
            int read = 0;
            while (read < count)
            {
                if (_start == _end && !await FillAsync().ConfigureAwait(false))
                {
                    throw new IOException("The request body ended early.");
                }

                int n = Math.Min(count - read, _end - _start);
                Array.Copy(_buffer, _start, bytes, read, n);
                _start += n;
                read += n;
            }

            return bytes;
        }

        private async Task<bool> FillAsync()
        {
            _start = 0;
            _end = await stream.ReadAsync(_buffer, 0, _buffer.Length).ConfigureAwait(false);
            return _end > 0;
        }
    }
}
