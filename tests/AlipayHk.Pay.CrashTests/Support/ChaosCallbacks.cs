using System.Net;

namespace AlipayHk.Pay.CrashTests.Support;

/// <summary>
/// The simulator's callback handler, standing in for the network and a load balancer between the gateway and the app.
/// Each payment's callbacks meet one fate, drawn when the first arrives: delivered; delayed; duplicated (sent twice at
/// once); answer lost once (delivered, but the gateway sees a 502 and delivers it again); dropped for the first one to
/// three attempts; or lost for good (never delivered: only the app's waits and reconciler can learn the outcome).
/// A delivered callback goes to every instance <see cref="Targets"/> names for it (two, with several instances).
/// An instance that is down (killed, restarting) refuses it, and the gateway sees a failure and retries on its schedule.
/// </summary>
internal sealed class ChaosCallbacks(Chance chance, Func<Uri, IReadOnlyList<Uri>> targets) : HttpMessageHandler
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(1) }) { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Dictionary<string, (Fate Fate, int Attempts)> _payments = new(StringComparer.Ordinal);
    private int _inFlight;
    private int _attempts;
    private int _forwarded;
    private int _refused;

    internal enum Fate
    {
        Delivered,
        Delayed,
        Duplicated,
        AnswerLost,
        Dropped1,
        Dropped2,
        Dropped3,
        LostForGood,
    }

    /// <summary>Callbacks being handled now.</summary>
    internal int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Every attempt the gateway made.</summary>
    internal int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Every request sent on to an instance.</summary>
    internal int Forwarded => Volatile.Read(ref _forwarded);

    /// <summary>Requests an instance did not answer (down, or killed during it).</summary>
    internal int Refused => Volatile.Read(ref _refused);

    /// <summary>How many payments met each fate.</summary>
    internal IReadOnlyDictionary<Fate, int> Fates
    {
        get
        {
            lock (_payments)
            {
                return _payments.Values.GroupBy(p => p.Fate).ToDictionary(g => g.Key, g => g.Count());
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            byte[] body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            string key = System.Text.Encoding.UTF8.GetString(body); // the same bytes on every attempt for one payment
            Fate fate;
            int attempt;
            lock (_payments)
            {
                Interlocked.Increment(ref _attempts);
                (fate, attempt) = _payments.TryGetValue(key, out var known) ? (known.Fate, known.Attempts + 1) : (Draw(), 1);
                _payments[key] = (fate, attempt);
            }

            IReadOnlyList<Uri> to = targets(request.RequestUri!);
            switch (fate)
            {
                case Fate.LostForGood:
                case Fate.Dropped1 when attempt <= 1:
                case Fate.Dropped2 when attempt <= 2:
                case Fate.Dropped3 when attempt <= 3:
                    return Answer(HttpStatusCode.BadGateway, request);
                case Fate.Delayed when attempt == 1:
                    await Task.Delay(chance.Millis(100, 1500), cancellationToken); // the network's delay: simulated
                    return Answer(await ForwardAllAsync(request, body, to, cancellationToken), request);
                case Fate.Duplicated when attempt == 1:
                    HttpStatusCode[] both = await Task.WhenAll(ForwardAllAsync(request, body, to, cancellationToken), ForwardAllAsync(request, body, to, cancellationToken));
                    return Answer(both.Contains(HttpStatusCode.OK) ? HttpStatusCode.OK : both[0], request);
                case Fate.AnswerLost when attempt == 1:
                    await ForwardAllAsync(request, body, to, cancellationToken);
                    return Answer(HttpStatusCode.BadGateway, request);
                default:
                    return Answer(await ForwardAllAsync(request, body, to, cancellationToken), request);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _http.Dispose();
        }

        base.Dispose(disposing);
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, HttpRequestMessage request) => new(status) { RequestMessage = request };

    private Fate Draw()
    {
        double p = chance.Next();
        return p switch
        {
            < 0.50 => Fate.Delivered,
            < 0.60 => Fate.Delayed,
            < 0.70 => Fate.Duplicated,
            < 0.80 => Fate.AnswerLost,
            < 0.85 => Fate.Dropped1,
            < 0.89 => Fate.Dropped2,
            < 0.92 => Fate.Dropped3,
            _ => Fate.LostForGood,
        };
    }

    /// <summary>Sends the callback to every target at once: 200 when one of them took it, else the first answer.</summary>
    private async Task<HttpStatusCode> ForwardAllAsync(HttpRequestMessage original, byte[] body, IReadOnlyList<Uri> to, CancellationToken cancellationToken)
    {
        HttpStatusCode[] answers = await Task.WhenAll(to.Select(target => ForwardAsync(original, body, target, cancellationToken)));
        return answers.Contains(HttpStatusCode.OK) ? HttpStatusCode.OK : answers[0];
    }

    private async Task<HttpStatusCode> ForwardAsync(HttpRequestMessage original, byte[] body, Uri target, CancellationToken cancellationToken)
    {
        using var copy = new HttpRequestMessage(original.Method, new Uri(target, original.RequestUri!.PathAndQuery)) { Content = new ByteArrayContent(body) };
        foreach (var header in original.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        foreach (var header in original.Content!.Headers)
        {
            copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        Interlocked.Increment(ref _forwarded);
        try
        {
            using HttpResponseMessage answer = await _http.SendAsync(copy, cancellationToken);
            return answer.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or System.Net.Sockets.SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Interlocked.Increment(ref _refused);
            return HttpStatusCode.BadGateway; // the instance is down, or was killed while it answered
        }
    }
}
