using System.Buffers;
using AlipayHk.Pay.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlipayHk.Pay.AspNetCore;

/// <summary>
/// The request handling behind <c>MapAlipayHkPayWebhook</c>: read the raw body with a cap, verify, confirm, suppress
/// duplicates, run the handler, and answer with a status the gateway understands (only 200 stops its re-deliveries).
/// Every delivery is counted once, by how it ended (<c>alipayhk.webhook.deliveries</c>).
/// </summary>
internal sealed class WebhookEndpoint(
    Func<ConfirmedWebhook, HttpContext, CancellationToken, Task> handler,
    string? merchantName,
    IAlipayHkPayWebhookDeduplicationStore store,
    IOptionsMonitor<AlipayHkPayOptions> options,
    TimeProvider timeProvider,
    ILogger logger,
    WebhookDeliveryInstruments instruments)
{
    private const int InitialBufferBytes = 4096;

    /// <summary>1 while the duplicate store is failing: its failures are then logged at debug level.</summary>
    private int _storeDown;

    /// <summary>The gateway counts a delivery as failed after about this long.</summary>
    private static readonly TimeSpan GatewayPatience = TimeSpan.FromSeconds(4);

    internal async Task HandleAsync(HttpContext context)
    {
        // Whatever escapes (ASP.NET Core answers 500) is a failed delivery too: exactly one outcome per exit.
        WebhookDelivery delivery = WebhookDelivery.Failed;
        try
        {
            delivery = await DeliverAsync(context).ConfigureAwait(false);
        }
        finally
        {
            instruments.Count(delivery);
        }
    }

    /// <summary>Answers one delivery, and says how it ended.</summary>
    private async Task<WebhookDelivery> DeliverAsync(HttpContext context)
    {
        CancellationToken aborted = context.RequestAborted;
        AlipayHkPayOptions settings = options.Get(merchantName ?? Options.DefaultName);
        int maxBytes = settings.MaxWebhookBodyBytes;

        if (context.Request.ContentLength > maxBytes)
        {
            await RejectAsync(context, StatusCodes.Status413PayloadTooLarge, "too large", "Webhook body too large.").ConfigureAwait(false);
            return WebhookDelivery.Rejected(WebhookFailureReason.TooLarge);
        }

        ConfirmedWebhook confirmed;
        byte[]? buffer = null;
        try
        {
            (buffer, int length) = await ReadBodyAsync(context.Request, maxBytes, aborted).ConfigureAwait(false);
            if (length > maxBytes)
            {
                await RejectAsync(context, StatusCodes.Status413PayloadTooLarge, "too large", "Webhook body too large.").ConfigureAwait(false);
                return WebhookDelivery.Rejected(WebhookFailureReason.TooLarge);
            }

            string? signature = context.Request.Headers.TryGetValue(settings.WebhookSignatureHeader, out var values) ? values.ToString() : null;
            IAlipayHkPayWebhookProcessor processor;
            IAlipayHkPayWebhookVerifier verifier;
            try
            {
                processor = merchantName is null
                    ? context.RequestServices.GetRequiredService<IAlipayHkPayWebhookProcessor>()
                    : context.RequestServices.GetRequiredKeyedService<IAlipayHkPayWebhookProcessor>(merchantName);
                verifier = merchantName is null
                    ? context.RequestServices.GetRequiredService<IAlipayHkPayWebhookVerifier>()
                    : context.RequestServices.GetRequiredKeyedService<IAlipayHkPayWebhookVerifier>(merchantName);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or OptionsValidationException)
            {
                Log.Misconfigured(logger, ex.Message, ex);
                await WriteAsync(context, StatusCodes.Status500InternalServerError, "Webhook receiver is not configured.").ConfigureAwait(false);
                return WebhookDelivery.Failed;
            }

            // A re-delivery of a payment whose final outcome was handled already is answered from the store, before
            // (and without) the gateway query that confirming it again would cost.
            WebhookNotification? notification = TryVerify(verifier, buffer.AsSpan(0, length), signature);
            if (notification is not null && FinalOutcomeKey(notification.Refund is null ? notification.OrderId : null, "order") is { } finalKey)
            {
                bool handledAlready;
                try
                {
                    handledAlready = await store.IsProcessedAsync(finalKey, aborted).ConfigureAwait(false);
                    StoreWorked();
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !aborted.IsCancellationRequested)
                {
                    return await StoreUnavailableAsync(context, "look up", finalKey, ex).ConfigureAwait(false);
                }

                if (handledAlready)
                {
                    Log.Duplicate(logger, finalKey);
                    await WriteAsync(context, StatusCodes.Status200OK, "OK").ConfigureAwait(false);
                    return WebhookDelivery.Duplicate;
                }
            }

            confirmed = await processor.ProcessAsync(buffer.AsMemory(0, length), signature, aborted).ConfigureAwait(false);
        }
        catch (AlipayHkPayWebhookException ex)
        {
            (int status, string text) = ex.Reason switch
            {
                WebhookFailureReason.MissingSignature => (StatusCodes.Status401Unauthorized, "Missing webhook signature."),
                WebhookFailureReason.SignatureMismatch => (StatusCodes.Status401Unauthorized, "Webhook signature mismatch."),
                WebhookFailureReason.TooLarge => (StatusCodes.Status413PayloadTooLarge, "Webhook body too large."),
                _ => (StatusCodes.Status400BadRequest, "Malformed webhook body."),
            };
            await RejectAsync(context, status, ex.Reason.ToString(), text).ConfigureAwait(false);
            return WebhookDelivery.Rejected(ex.Reason);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return WebhookDelivery.Failed; // The caller hung up: no one to answer; the gateway delivers it again.
        }
        catch (AlipayHkPayException ex)
        {
            Log.ConfirmationFailed(logger, (int?)ex.StatusCode, ex.RequestId, ex.Message, ex);
            await WriteAsync(context, StatusCodes.Status502BadGateway, "Payment could not be confirmed with the gateway; deliver again later.").ConfigureAwait(false);
            return WebhookDelivery.Failed;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        if (confirmed.IsUnconfirmedSuccess && !confirmed.Payment!.IsFinal)
        {
            // Forged, replayed, or ahead of the gateway's own books: never handled as paid, and not recorded,
            // so a genuine success delivered again later is confirmed then. (A cancelled order is final: the
            // handler hears of it as cancelled.)
            Log.UnconfirmedSuccess(logger, confirmed.Payment!.OrderId, confirmed.Status);
            context.Response.Headers.RetryAfter = "15";
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Payment not confirmed by the gateway yet; deliver again later.").ConfigureAwait(false);
            return WebhookDelivery.Unconfirmed;
        }

        // Scoped per merchant: one store serves them all, and their order ids are not known to be unique across accounts.
        string key = merchantName is null ? confirmed.DeduplicationKey : $"merchant:{merchantName}:{confirmed.DeduplicationKey}";
        WebhookClaim claim;
        try
        {
            claim = await store.TryClaimAsync(key, aborted).ConfigureAwait(false);
            StoreWorked();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !aborted.IsCancellationRequested)
        {
            return await StoreUnavailableAsync(context, "claim", key, ex).ConfigureAwait(false);
        }

        if (claim == WebhookClaim.AlreadyProcessed)
        {
            Log.Duplicate(logger, key);
            await WriteAsync(context, StatusCodes.Status200OK, "OK").ConfigureAwait(false);
            return WebhookDelivery.Duplicate;
        }

        if (claim == WebhookClaim.InProgress)
        {
            Log.InProgress(logger, key);
            await WriteAsync(context, StatusCodes.Status409Conflict, "Webhook is being processed; deliver again later.").ConfigureAwait(false);
            return WebhookDelivery.Duplicate;
        }

        long started = timeProvider.GetTimestamp();
        try
        {
            await handler(confirmed, context, aborted).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await ReleaseQuietlyAsync(key).ConfigureAwait(false);
            Log.HandlerFailed(logger, key, confirmed.Payment?.OrderId ?? confirmed.Notification.OrderId ?? confirmed.Notification.Refund?.RefundId, ex);
            if (!context.Response.HasStarted && !aborted.IsCancellationRequested)
            {
                context.Response.Clear();
                await WriteAsync(context, StatusCodes.Status500InternalServerError, "Webhook handler failed; deliver again later.").ConfigureAwait(false);
            }

            return WebhookDelivery.Failed;
        }

        TimeSpan elapsed = timeProvider.GetElapsedTime(started);
        try
        {
            await store.MarkProcessedAsync(key, CancellationToken.None).ConfigureAwait(false);
            if (confirmed.Payment is { IsFinal: true } final && FinalOutcomeKey(final.OrderId, "order") is { } finalKey)
            {
                await store.MarkProcessedAsync(finalKey, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // The handler succeeded: answer 200 anyway. A later re-delivery may run it again.
            StoreFailed("record", key, ex);
        }

        if (elapsed > GatewayPatience)
        {
            Log.SlowHandler(logger, key, elapsed.TotalMilliseconds);
        }
        else
        {
            Log.Handled(logger, key, elapsed.TotalMilliseconds);
        }

        if (!context.Response.HasStarted)
        {
            await WriteAsync(context, StatusCodes.Status200OK, "OK").ConfigureAwait(false);
        }

        return WebhookDelivery.Accepted;
    }

    /// <summary>
    /// Reads the whole body into a pooled buffer, stopping as soon as it exceeds <paramref name="maxBytes"/>:
    /// the length returned is then <paramref name="maxBytes"/> + 1 or more.
    /// </summary>
    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        int limit = maxBytes + 1;
        int size = request.ContentLength is long declared ? (int)Math.Min(declared + 1, limit) : Math.Min(InitialBufferBytes, limit);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
        int length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length >= limit)
                    {
                        return (buffer, length);
                    }

                    byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = await request.Body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit) - length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (buffer, length);
                }

                length += read;
                if (length >= limit)
                {
                    return (buffer, length);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>
    /// The verified callback, to look its payment up in the store; <see langword="null"/> when it is rejected: the
    /// processor then rejects it again, with its own log line and span, and the endpoint answers as for any rejection.
    /// </summary>
    private static WebhookNotification? TryVerify(IAlipayHkPayWebhookVerifier verifier, ReadOnlySpan<byte> body, string? signature)
    {
        try
        {
            return verifier.Verify(body, signature);
        }
        catch (AlipayHkPayWebhookException)
        {
            return null;
        }
    }

    /// <summary>The store's record that a payment's final outcome (succeeded or cancelled) was confirmed and handled: per merchant, per order.</summary>
    private string? FinalOutcomeKey(string? id, string kind) =>
        string.IsNullOrEmpty(id) ? null : merchantName is null ? $"final:{kind}:{id}" : $"merchant:{merchantName}:final:{kind}:{id}";

    /// <summary>The duplicate store failed before the handler ran: 503, so that the gateway delivers the callback again.</summary>
    private async Task<WebhookDelivery> StoreUnavailableAsync(HttpContext context, string operation, string key, Exception exception)
    {
        StoreFailed(operation, key, exception);
        await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Webhook could not be processed now; deliver again later.").ConfigureAwait(false);
        return WebhookDelivery.Failed;
    }

    /// <summary>
    /// Logs a failure of the duplicate store as a warning once per outage (a store that is down fails every delivery
    /// until it is back), and the rest at debug level.
    /// </summary>
    private void StoreFailed(string operation, string key, Exception exception)
    {
        if (Interlocked.Exchange(ref _storeDown, 1) == 0)
        {
            Log.StoreFailed(logger, operation, key, exception);
        }
        else
        {
            Log.StoreStillFailing(logger, operation, key, exception);
        }
    }

    private void StoreWorked()
    {
        if (Volatile.Read(ref _storeDown) == 1 && Interlocked.Exchange(ref _storeDown, 0) == 1)
        {
            Log.StoreBack(logger);
        }
    }

    private async Task ReleaseQuietlyAsync(string key)
    {
        try
        {
            await store.ReleaseAsync(key, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            StoreFailed("release", key, ex);
        }
    }

    private Task RejectAsync(HttpContext context, int statusCode, string reason, string text)
    {
        Log.Rejected(logger, statusCode, reason);
        return WriteAsync(context, statusCode, text);
    }

    private static Task WriteAsync(HttpContext context, int statusCode, string text)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
