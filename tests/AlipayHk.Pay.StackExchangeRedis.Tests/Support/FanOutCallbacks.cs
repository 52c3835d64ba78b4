using System.Diagnostics;
using System.Net;

namespace AlipayHk.Pay.StackExchangeRedis.Tests.Support;

/// <summary>
/// The simulator's callback handler, standing in for a load balancer that misbehaves: every callback is sent to two app
/// instances at once, and the first <see cref="LostAnswers"/> answers to each callback are "lost" (the gateway sees a
/// 502), so that the gateway delivers it again on its schedule. The callback's path is kept; its host is each instance's.
/// </summary>
internal sealed class FanOutCallbacks : HttpMessageHandler
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Dictionary<string, int> _attempts = new(StringComparer.Ordinal);

    internal FanOutCallbacks()
    {
    }

    /// <summary>The two instances every callback goes to.</summary>
    internal Uri[] Targets { get; set; } = [];

    internal int LostAnswers { get; set; }

    /// <summary>When the first callback for each order arrived (Stopwatch timestamp), by the callback's body.</summary>
    internal Dictionary<string, long> FirstArrival { get; } = new(StringComparer.Ordinal);

    /// <summary>How many callbacks were fanned out, each to two instances.</summary>
    internal int Delivered { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        long arrived = Stopwatch.GetTimestamp();
        byte[] body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        string text = System.Text.Encoding.UTF8.GetString(body);
        int attempt;
        lock (_attempts)
        {
            attempt = _attempts[text] = _attempts.GetValueOrDefault(text) + 1;
            FirstArrival.TryAdd(text, arrived);
            Delivered++;
        }

        HttpResponseMessage[] answers = await Task.WhenAll(Targets.Select(target => ForwardAsync(request, body, target, cancellationToken)));
        HttpStatusCode best = answers.Any(a => a.StatusCode == HttpStatusCode.OK) ? HttpStatusCode.OK : answers[0].StatusCode;
        foreach (HttpResponseMessage answer in answers)
        {
            answer.Dispose();
        }

        return new HttpResponseMessage(attempt <= LostAnswers ? HttpStatusCode.BadGateway : best) { RequestMessage = request };
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _http.Dispose();
        }

        base.Dispose(disposing);
    }

    private Task<HttpResponseMessage> ForwardAsync(HttpRequestMessage original, byte[] body, Uri target, CancellationToken cancellationToken)
    {
        var copy = new HttpRequestMessage(original.Method, new Uri(target, original.RequestUri!.PathAndQuery)) { Content = new ByteArrayContent(body) };
        foreach (var header in original.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        foreach (var header in original.Content!.Headers)
        {
            copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return _http.SendAsync(copy, cancellationToken);
    }
}
