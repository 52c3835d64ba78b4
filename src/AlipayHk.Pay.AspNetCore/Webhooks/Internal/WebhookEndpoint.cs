using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlipayHk.Pay.AspNetCore;

/// <summary>
/// <c>MapAlipayHkPayWebhook</c>'s request delegate: hands the request to the merchant's
/// <see cref="IAlipayHkPayWebhookReceiver"/> (which reads, verifies, confirms, de-duplicates and runs the handler) and
/// writes its <see cref="WebhookReceipt"/>, unless the handler has answered already or the caller is gone.
/// </summary>
internal sealed class WebhookEndpoint(string? merchantName, Func<ConfirmedWebhook, HttpContext, CancellationToken, Task>? handler, ILogger logger)
{
    internal async Task HandleAsync(HttpContext context)
    {
        IAlipayHkPayWebhookReceiver receiver;
        try
        {
            receiver = context.RequestServices.GetRequiredKeyedService<IAlipayHkPayWebhookReceiver>(merchantName ?? string.Empty);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or OptionsValidationException)
        {
            Log.Misconfigured(logger, ex.Message, ex);
            await WriteAsync(context, 500, "Webhook receiver is not configured.", null).ConfigureAwait(false);
            return;
        }

        HttpRequest request = context.Request;
        WebhookReceipt receipt = await receiver.ReceiveAsync(
            request.Body,
            request.ContentLength,
            name => request.Headers.TryGetValue(name, out var values) ? values.ToString() : null,
            handler is null ? null : (webhook, cancellationToken) => handler(webhook, context, cancellationToken),
            context.RequestAborted).ConfigureAwait(false);
        if (context.RequestAborted.IsCancellationRequested || context.Response.HasStarted)
        {
            return; // Nobody to answer, or the handler answered itself.
        }

        context.Response.Clear();
        await WriteAsync(context, receipt.StatusCode, receipt.Text, receipt).ConfigureAwait(false);
    }

    private static async Task WriteAsync(HttpContext context, int statusCode, string text, WebhookReceipt? receipt)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        if (receipt?.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (receipt?.CloseConnection == true)
        {
            // The body was not read to its end: close rather than let the server drain the rest of it.
            context.Response.Headers.Connection = "close";
        }

        try
        {
            await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The caller is gone: there is no one to answer.
        }
    }
}

/// <summary>The endpoint's own log lines (the receiver in the core package writes the rest). None carries a secret or the raw body.</summary>
internal static partial class Log
{
    [LoggerMessage(208, LogLevel.Error, "AlipayHkPay webhook endpoint cannot process callbacks: {Message}")]
    internal static partial void Misconfigured(ILogger logger, string message, Exception exception);
}
