using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.Http;

/// <summary>
/// Says once per app (not each time a client's handlers are rebuilt) what <see cref="HandlerChain"/> did with the
/// app's handlers, and when <see cref="AttemptHandler"/> refused a re-send.
/// </summary>
internal sealed class HandlerReport(ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger("AlipayHk.Pay.Http");
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _kept = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _said = new(StringComparer.Ordinal);

    internal void Arranged(string client, IReadOnlyList<string> removed, IReadOnlyList<string> unknown)
    {
        _kept[client] = unknown;
        foreach (string handler in removed)
        {
            if (Once($"removed:{client}:{handler}"))
            {
                Log.RetryingHandlerRemoved(_logger, handler, client);
            }
        }

        foreach (string handler in unknown)
        {
            if (Once($"kept:{client}:{handler}"))
            {
                Log.UnknownHandlerKept(_logger, handler, client);
            }
        }
    }

    internal void ResendRefused(string client, HttpRequestMessage request)
    {
        if (Once($"refused:{client}"))
        {
            string handlers = _kept.TryGetValue(client, out IReadOnlyList<string>? kept) && kept.Count > 0 ? string.Join(", ", kept) : "a handler added to every HttpClient";
            Log.ResendRefused(_logger, request.Method.Method, request.RequestUri?.AbsolutePath ?? "?", client, handlers);
        }
    }

    private bool Once(string what) => _said.TryAdd(what, true);
}
