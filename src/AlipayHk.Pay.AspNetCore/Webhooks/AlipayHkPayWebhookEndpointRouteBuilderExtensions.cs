using System.Diagnostics.CodeAnalysis;
using AlipayHk.Pay;
using AlipayHk.Pay.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the endpoint that receives Alipay HK payment callbacks (the <c>notify_url</c>).</summary>
public static class AlipayHkPayWebhookEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps a POST endpoint for the gateway's callbacks. For each one it reads the raw body (at most
    /// <c>MaxWebhookBodyBytes</c>), verifies its signature, confirms the payment with the gateway, suppresses
    /// duplicates, and calls <paramref name="handler"/> with the confirmed result.
    /// </summary>
    /// <remarks>
    /// <para>Answers: 200 when the handler succeeded (or the callback is a duplicate of one it handled); 500 when the
    /// handler threw, so the gateway delivers it again; 400 for a malformed body; 401 for a missing or wrong signature;
    /// 413 for a body over the limit; 409 while the same callback is being handled; 502 when the gateway could not be
    /// asked; 503 when the gateway still reports a <c>payment_success</c>'s payment as pending (the handler is not called; a cancelled one reaches the handler as cancelled). No answer
    /// carries a secret or exception details.</para>
    /// <para>The gateway counts a callback as failed after about 5 seconds: keep the handler fast, and move slow work
    /// to a background queue (see the repository's docs/webhooks.md).</para>
    /// <para>Requires <c>services.AddAlipayHkPay(...)</c>. The work is the merchant's <see cref="IAlipayHkPayWebhookReceiver"/>'s.
    /// Duplicates are kept in memory unless another <see cref="IAlipayHkPayWebhookDeduplicationStore"/> is registered (see
    /// <c>AddAlipayHkPayDistributedWebhookDeduplication</c>). The endpoint allows anonymous callers: the signature
    /// authenticates the gateway.</para>
    /// <para>Each delivery is counted once on <c>alipayhk.webhook.deliveries</c> (meter
    /// <see cref="AlipayHkPayTelemetry.MeterName"/>, from the app's <c>IMeterFactory</c>), tagged
    /// <c>alipayhk.webhook.outcome</c>: <c>accepted</c>, <c>duplicate</c>, <c>rejected</c> (with
    /// <c>alipayhk.webhook.reason</c>), <c>unconfirmed</c> or <c>failed</c>.</para>
    /// </remarks>
    /// <param name="endpoints">The app's endpoints.</param>
    /// <param name="pattern">The route, the path of your <c>notify_url</c> (for example <c>/payments/alipayhk/notify</c>).</param>
    /// <param name="handler">Acts on a confirmed callback: check <see cref="ConfirmedWebhook.Payment"/>'s status. Throw to have the gateway deliver it again.</param>
    /// <returns>A builder to add conventions to the endpoint.</returns>
    /// <exception cref="InvalidOperationException"><c>AddAlipayHkPay</c> was not called.</exception>
    public static IEndpointConventionBuilder MapAlipayHkPayWebhook(
        this IEndpointRouteBuilder endpoints,
        [StringSyntax("Route")] string pattern,
        Func<ConfirmedWebhook, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return MapAlipayHkPayWebhook(endpoints, pattern, (webhook, _, cancellationToken) => handler(webhook, cancellationToken));
    }

    /// <summary>
    /// Maps a POST endpoint for the gateway's callbacks, with a handler that also gets the request's
    /// <see cref="HttpContext"/> (for scoped services, through <see cref="HttpContext.RequestServices"/>).
    /// Otherwise the same as <see cref="MapAlipayHkPayWebhook(IEndpointRouteBuilder, string, Func{ConfirmedWebhook, CancellationToken, Task})"/>.
    /// </summary>
    /// <param name="endpoints">The app's endpoints.</param>
    /// <param name="pattern">The route, the path of your <c>notify_url</c>.</param>
    /// <param name="handler">Acts on a confirmed callback. Throw to have the gateway deliver it again.</param>
    /// <returns>A builder to add conventions to the endpoint.</returns>
    /// <exception cref="InvalidOperationException"><c>AddAlipayHkPay</c> was not called.</exception>
    public static IEndpointConventionBuilder MapAlipayHkPayWebhook(
        this IEndpointRouteBuilder endpoints,
        [StringSyntax("Route")] string pattern,
        Func<ConfirmedWebhook, HttpContext, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(handler);
        return Map(endpoints, pattern, null, handler);
    }

    /// <summary>
    /// Maps a POST endpoint for the callbacks of the named merchant <paramref name="merchantName"/> (registered with
    /// <c>services.AddAlipayHkPay(merchantName, ...)</c>): verified with that merchant's webhook key (a callback signed
    /// with another merchant's key is answered 401) and confirmed with that merchant's client. The handler sees
    /// <see cref="ConfirmedWebhook.MerchantName"/> set to <paramref name="merchantName"/>. Duplicates are remembered per
    /// merchant. Otherwise the same as <see cref="MapAlipayHkPayWebhook(IEndpointRouteBuilder, string, Func{ConfirmedWebhook, CancellationToken, Task})"/>.
    /// </summary>
    /// <param name="endpoints">The app's endpoints.</param>
    /// <param name="pattern">The route, the path of this merchant's <c>notify_url</c> (for example <c>/payments/alipayhk/shop-b/notify</c>).</param>
    /// <param name="merchantName">The merchant's name, as registered.</param>
    /// <param name="handler">Acts on a confirmed callback. Throw to have the gateway deliver it again.</param>
    /// <returns>A builder to add conventions to the endpoint.</returns>
    /// <exception cref="InvalidOperationException">No merchant named <paramref name="merchantName"/> was registered.</exception>
    public static IEndpointConventionBuilder MapAlipayHkPayWebhook(
        this IEndpointRouteBuilder endpoints,
        [StringSyntax("Route")] string pattern,
        string merchantName,
        Func<ConfirmedWebhook, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return MapAlipayHkPayWebhook(endpoints, pattern, merchantName, (webhook, _, cancellationToken) => handler(webhook, cancellationToken));
    }

    /// <summary>
    /// Maps a POST endpoint for the callbacks of the named merchant <paramref name="merchantName"/>, with a handler that
    /// also gets the request's <see cref="HttpContext"/>. Otherwise the same as
    /// <see cref="MapAlipayHkPayWebhook(IEndpointRouteBuilder, string, string, Func{ConfirmedWebhook, CancellationToken, Task})"/>.
    /// </summary>
    /// <param name="endpoints">The app's endpoints.</param>
    /// <param name="pattern">The route, the path of this merchant's <c>notify_url</c>.</param>
    /// <param name="merchantName">The merchant's name, as registered.</param>
    /// <param name="handler">Acts on a confirmed callback. Throw to have the gateway deliver it again.</param>
    /// <returns>A builder to add conventions to the endpoint.</returns>
    /// <exception cref="InvalidOperationException">No merchant named <paramref name="merchantName"/> was registered.</exception>
    public static IEndpointConventionBuilder MapAlipayHkPayWebhook(
        this IEndpointRouteBuilder endpoints,
        [StringSyntax("Route")] string pattern,
        string merchantName,
        Func<ConfirmedWebhook, HttpContext, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentException.ThrowIfNullOrWhiteSpace(merchantName);
        ArgumentNullException.ThrowIfNull(handler);
        return Map(endpoints, pattern, merchantName, handler);
    }

    /// <summary>
    /// Maps a POST endpoint for the gateway's callbacks in an app that records payments with an outcome handler
    /// (<c>services.AddAlipayHkPayOutcomes&lt;THandler&gt;()</c>): each payment's confirmed final outcome goes to that
    /// handler, once; other callbacks (refunds) are verified and acknowledged. Otherwise the same as
    /// <see cref="MapAlipayHkPayWebhook(IEndpointRouteBuilder, string, Func{ConfirmedWebhook, CancellationToken, Task})"/>.
    /// </summary>
    /// <param name="endpoints">The app's endpoints.</param>
    /// <param name="pattern">The route, the path of your <c>notify_url</c>.</param>
    /// <returns>A builder to add conventions to the endpoint.</returns>
    /// <exception cref="InvalidOperationException"><c>AddAlipayHkPay</c> or <c>AddAlipayHkPayOutcomes</c> was not called.</exception>
    public static IEndpointConventionBuilder MapAlipayHkPayWebhook(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        return Map(endpoints, pattern, null, null);
    }

    /// <summary>
    /// Maps a POST endpoint for the callbacks of the named merchant <paramref name="merchantName"/> in an app that records
    /// payments with an outcome handler. Otherwise the same as <see cref="MapAlipayHkPayWebhook(IEndpointRouteBuilder, string)"/>.
    /// </summary>
    /// <param name="endpoints">The app's endpoints.</param>
    /// <param name="pattern">The route, the path of this merchant's <c>notify_url</c>.</param>
    /// <param name="merchantName">The merchant's name, as registered.</param>
    /// <returns>A builder to add conventions to the endpoint.</returns>
    /// <exception cref="InvalidOperationException">The merchant, or <c>AddAlipayHkPayOutcomes</c>, was not registered.</exception>
    public static IEndpointConventionBuilder MapAlipayHkPayWebhook(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern, string merchantName)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentException.ThrowIfNullOrWhiteSpace(merchantName);
        return Map(endpoints, pattern, merchantName, null);
    }

    private static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints, string pattern, string? merchantName, Func<ConfirmedWebhook, HttpContext, CancellationToken, Task>? handler)
    {
        IServiceProvider services = endpoints.ServiceProvider;
        if (merchantName is null)
        {
            if (services.GetService<IServiceProviderIsService>() is { } isService && !isService.IsService(typeof(IAlipayHkPayWebhookProcessor)))
            {
                throw new InvalidOperationException("MapAlipayHkPayWebhook needs the Alipay HK services: call services.AddAlipayHkPay(...) first.");
            }
        }
        else if (services.GetService<IServiceProviderIsService>() is IServiceProviderIsKeyedService isKeyed
            && !isKeyed.IsKeyedService(typeof(IAlipayHkPayWebhookProcessor), merchantName))
        {
            throw new InvalidOperationException($"MapAlipayHkPayWebhook needs the merchant '{merchantName}': call services.AddAlipayHkPay(\"{merchantName}\", ...) first.");
        }

        if (handler is null && services.GetService<IServiceProviderIsService>() is { } outcomes && !outcomes.IsService(typeof(IAlipayHkPayOutcomeHandler)))
        {
            throw new InvalidOperationException("MapAlipayHkPayWebhook without a handler sends payments to the outcome handler: call services.AddAlipayHkPayOutcomes<THandler>() too, or pass a handler.");
        }

        ILogger logger = (services.GetService<ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)
            .CreateLogger("AlipayHk.Pay.AspNetCore.WebhookEndpoint");
        var endpoint = new WebhookEndpoint(merchantName, handler, logger);

        return endpoints.MapPost(pattern, (RequestDelegate)endpoint.HandleAsync)
            .WithDisplayName(merchantName is null ? "AlipayHkPay webhook " + pattern : $"AlipayHkPay webhook {pattern} ({merchantName})")
            .AllowAnonymous();
    }
}
