namespace AlipayHk.Pay.Testing.Callbacks.Internal;

/// <summary>
/// How callbacks reach the receiver: over a socket to the <c>notify_url</c>, or, once
/// <see cref="AlipayHkGatewaySimulator.DeliverCallbacksTo"/> names one, through an in-memory handler such as a
/// <c>TestServer</c>'s. The handler can be set at any time: an app's test server exists only after the app is built.
/// </summary>
internal sealed class CallbackTransport : IDisposable
{
    private readonly object _gate = new();
    private readonly List<HttpClient> _clients = [];
    private HttpClient _current;

    public CallbackTransport(HttpMessageHandler? handler, TimeSpan connectTimeout)
    {
        _current = handler is not null
            ? Track(new HttpClient(handler, disposeHandler: false), inMemory: true)
            : Track(new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, ConnectTimeout = connectTimeout }), inMemory: false);
    }

    /// <summary>Whether callbacks go into an in-memory handler rather than over a socket.</summary>
    public bool InMemory { get; private set; }

    /// <summary>Sends the next callbacks (retries of earlier ones included) through <paramref name="handler"/>.</summary>
    public void Use(HttpMessageHandler handler)
    {
        lock (_gate)
        {
            // The client it replaces is kept until the simulator is disposed: a callback may be in flight through it.
            _current = Track(new HttpClient(handler, disposeHandler: false), inMemory: true);
        }
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpClient client;
        lock (_gate)
        {
            client = _current;
        }

        return client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _clients.ForEach(client => client.Dispose());
            _clients.Clear();
        }
    }

    private HttpClient Track(HttpClient client, bool inMemory)
    {
        client.Timeout = Timeout.InfiniteTimeSpan; // The dispatcher's own timeout applies, on the simulator's clock.
        InMemory = inMemory;
        _clients.Add(client);
        return client;
    }
}
