using System.Collections.Concurrent;
using Microsoft.Extensions.Http;

namespace AlipayHk.Pay.Http;

/// <summary>
/// Puts the handler chain of every SDK client in order once the app's configuration has run, whatever the app added
/// and in whatever order (<c>ConfigureHttpClientDefaults</c> before or after <c>AddAlipayHkPay</c>, or the SDK's client
/// names configured on purpose):
/// <code>
/// [request loggers] → [bearer token] → [SDK resilience: one timer per attempt, retry] → [the app's other handlers] → [AttemptHandler] → primary
/// </code>
/// Handlers that retry (Microsoft.Extensions.Http.Resilience's <c>ResilienceHandler</c>, as added by
/// <c>AddStandardResilienceHandler</c>, and Polly v7's <c>PolicyHttpMessageHandler</c>) are taken off, so that the app's
/// retries, timeouts and circuit breaker never re-send a create or block the SDK's recovery queries. Other handlers
/// stay, inside each attempt; when one of them is not known to pass requests through, <see cref="AttemptHandler"/> goes
/// last and refuses any second send they make. The primary handler is
/// left as the app configured it (a proxy, a client certificate); on .NET Framework its connection limit is raised
/// from the framework's default of 2 (<c>Compatibility/Internal/ConnectionLimit.cs</c>).
/// </summary>
internal sealed class HandlerChain(ClientRegistry clients, HandlerReport report) : IHttpMessageHandlerBuilderFilter
{
    /// <summary>Handler types that retry or time out on their own, taken off the SDK's clients.</summary>
    private static readonly string[] RetryingHandlerTypes =
    [
        "Microsoft.Extensions.Http.Resilience.ResilienceHandler",
        "Microsoft.Extensions.Http.PolicyHttpMessageHandler",
    ];

    /// <summary>Handler types known not to send a request twice: kept without a warning.</summary>
    private static readonly string[] PassThroughHandlerTypes =
    [
        "Microsoft.Extensions.ServiceDiscovery.Http.ResolvingHttpDelegatingHandler",
        "Microsoft.AspNetCore.HeaderPropagation.HeaderPropagationMessageHandler",
    ];

    /// <summary>
    /// IHttpClientFactory's request loggers (<c>AddDefaultLogger</c>): put in front of the SDK's handlers, so that they
    /// never see the bearer token (their Trace entry carries every request header in its structured state, whatever
    /// the redaction of the message text).
    /// </summary>
    private static readonly string[] LoggingHandlerTypes =
    [
        "Microsoft.Extensions.Http.Logging.LoggingScopeHttpMessageHandler",
        "Microsoft.Extensions.Http.Logging.LoggingHttpMessageHandler",
    ];

    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        if (builder.Name is { } name && clients.SdkHandlerCount(name) is int sdkHandlers)
        {
            Arrange(builder.AdditionalHandlers, name, sdkHandlers);
#if NETFRAMEWORK
            ConnectionLimit.Raise(builder.PrimaryHandler); // the primary handler as the app left it, never replaced
#endif
        }
    };

    private void Arrange(IList<DelegatingHandler> handlers, string client, int sdkHandlers)
    {
        int marker = handlers.TakeWhile(h => h is not SdkHandlersStart).Count();
        if (marker + sdkHandlers >= handlers.Count)
        {
            throw new InvalidOperationException($"The handlers of the HttpClient '{client}' were changed in a way AlipayHk.Pay cannot rely on. Configure it with AddHttpClient(AlipayHkPayClientNames...) and AddHttpMessageHandler only.");
        }

        handlers[marker].Dispose();
        List<DelegatingHandler> sdk = handlers.Skip(marker + 1).Take(sdkHandlers).ToList();
        var loggers = new List<DelegatingHandler>();
        var kept = new List<DelegatingHandler>();
        var removed = new List<string>();
        foreach (DelegatingHandler handler in handlers.Take(marker).Concat(handlers.Skip(marker + 1 + sdkHandlers)))
        {
            if (Is(handler, LoggingHandlerTypes))
            {
                loggers.Add(handler);
            }
            else if (Is(handler, RetryingHandlerTypes))
            {
                removed.Add(NameOf(handler));
                handler.Dispose(); // not yet linked to an inner handler: nothing else is disposed with it
            }
            else
            {
                kept.Add(handler);
            }
        }

        handlers.Clear();
        foreach (DelegatingHandler handler in loggers.Concat(sdk).Concat(kept))
        {
            handlers.Add(handler);
        }

        List<string> unknown = kept.Where(h => !Is(h, PassThroughHandlerTypes)).Select(NameOf).ToList();
        if (unknown.Count > 0)
        {
            // Only a handler the SDK does not know may send a request twice: the guard (and its per-request state)
            // is on the clients that have one.
            handlers.Add(new AttemptHandler(report, client));
        }

        report.Arranged(client, removed, unknown);
    }

    private static string NameOf(DelegatingHandler handler) => handler.GetType().FullName ?? handler.GetType().Name;

    private static bool Is(DelegatingHandler handler, string[] typeNames)
    {
        for (Type? type = handler.GetType(); type is not null; type = type.BaseType)
        {
            if (Array.IndexOf(typeNames, type.FullName) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Marks where the SDK's own handlers start in a client's list: everything before it came from the app.</summary>
internal sealed class SdkHandlersStart : DelegatingHandler;

/// <summary>The SDK's client names, each with how many of the SDK's handlers follow <see cref="SdkHandlersStart"/>.</summary>
internal sealed class ClientRegistry
{
    private readonly ConcurrentDictionary<string, int> _clients = new(StringComparer.Ordinal);

    internal IEnumerable<string> Names => _clients.Keys;

    internal void Add(string client, int sdkHandlers) => _clients[client] = sdkHandlers;

    internal int? SdkHandlerCount(string client) => _clients.TryGetValue(client, out int count) ? count : null;
}
