using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
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
    /// <summary>How far ahead of the reader Kestrel buffers a request body (its default <c>MaxRequestBufferSize</c>).</summary>
    private const long ServerReadAhead = 1024 * 1024;

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

        // After a body refused past the limit, the server would drain the rest of it to keep the connection (Kestrel reads
        // on for seconds: tens of megabytes of a chunked flood). Its own limit stops that: the receiver reads at most one
        // byte past the SDK's limit, and the server buffers at most about 1 MiB ahead of the reader.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = receiver.MaxBodyBytes + 1L + ServerReadAhead;
        }

        HttpRequest request = context.Request;
        WebhookReceipt receipt = await receiver.ReceiveAsync(
            new LimitedBody(request.Body),
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

/// <summary>
/// The request body as the receiver reads it: the server's own refusal of a body over its limit (a 413
/// <see cref="BadHttpRequestException"/>) becomes the SDK's "too large", answered 413 like any other oversized body.
/// </summary>
internal sealed class LimitedBody(Stream body) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new AlipayHkPayWebhookException(WebhookFailureReason.TooLarge, "The webhook body is larger than the server reads for it.", tooLarge);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The webhook body is read asynchronously.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>The endpoint's own log lines (the receiver in the core package writes the rest). None carries a secret or the raw body.</summary>
internal static partial class Log
{
    [LoggerMessage(208, LogLevel.Error, "AlipayHkPay webhook endpoint cannot process callbacks: {Message}")]
    internal static partial void Misconfigured(ILogger logger, string message, Exception exception);
}
