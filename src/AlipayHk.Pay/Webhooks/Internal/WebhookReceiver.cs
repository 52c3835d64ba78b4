using System.Buffers;
using AlipayHk.Pay.Diagnostics;
using AlipayHk.Pay.Outcomes;

namespace AlipayHk.Pay;

/// <summary>The SDK's <see cref="IAlipayHkPayWebhookReceiver"/> for one merchant: see there.</summary>
internal sealed class WebhookReceiver(
    AlipayHkPayWebhookProcessor processor,
    IAlipayHkPayWebhookDeduplicationStore store,
    WebhookLog log,
    OutcomeTracker? outcomes,
    TimeProvider timeProvider,
    AlipayHkPayInstruments instruments) : IAlipayHkPayWebhookReceiver
{
    private const int InitialBufferBytes = 4096;

    /// <summary>The gateway counts a delivery as failed after about this long.</summary>
    private static readonly TimeSpan GatewayPatience = TimeSpan.FromSeconds(4);

    private string? Merchant => processor.Merchant;

    public int MaxBodyBytes => processor.Verifier.Current.MaxBodyBytes;

    public async Task<WebhookReceipt> ReceiveAsync(
        Stream body, long? contentLength, Func<string, string?> header, Func<ConfirmedWebhook, CancellationToken, Task>? handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(header);

        // Whatever escapes is a failed delivery too: exactly one count per delivery.
        WebhookReceipt receipt = Failed(500, "Webhook receiver failed.");
        try
        {
            receipt = await DeliverAsync(body, contentLength, header, handler, cancellationToken).ConfigureAwait(false);
            return receipt;
        }
        finally
        {
            instruments.CountDelivery(receipt.Outcome, receipt.Reason, Merchant);
        }
    }

    private async Task<WebhookReceipt> DeliverAsync(
        Stream body, long? contentLength, Func<string, string?> header, Func<ConfirmedWebhook, CancellationToken, Task>? handler, CancellationToken aborted)
    {
        // One snapshot of the options for the whole delivery: the limit, the header name and the key agree.
        AlipayHkPayWebhookVerifier verifier = processor.Verifier.Current;
        if (contentLength > verifier.MaxBodyBytes)
        {
            return TooLarge();
        }

        ConfirmedWebhook? confirmed;
        byte[]? buffer = null;
        try
        {
            int length;
            try
            {
                (buffer, length) = await ReadAsync(body, contentLength, verifier.MaxBodyBytes, aborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException)
            {
                // The caller hung up, or sent the body too slowly for the server: a delivery that never arrived.
                Log.WebhookIncomplete(log.Logger, ex.GetType().Name);
                return Rejected(WebhookFailureReason.IncompleteBody, 408, "Webhook body incomplete or too slow.");
            }

            if (length > verifier.MaxBodyBytes)
            {
                return TooLarge();
            }

            confirmed = await processor.ProcessAsync(verifier, buffer.AsMemory(0, length), header(verifier.HeaderName), HandledAlreadyAsync, aborted).ConfigureAwait(false);
            if (confirmed is null)
            {
                return Duplicate();
            }
        }
        catch (AlipayHkPayWebhookException ex)
        {
            return ex.Reason switch
            {
                WebhookFailureReason.MissingSignature => Rejected(ex.Reason, 401, "Missing webhook signature."),
                WebhookFailureReason.SignatureMismatch => Rejected(ex.Reason, 401, "Webhook signature mismatch."),
                WebhookFailureReason.TooLarge => TooLarge(),
                _ => Rejected(ex.Reason, 400, "Malformed webhook body."),
            };
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return Failed(499, "Caller hung up."); // No one to answer; the gateway delivers it again.
        }
        catch (StoreFailure ex)
        {
            log.StoreFailed(ex.Operation, ex.Key, ex.InnerException!);
            return Failed(503, "Webhook could not be processed now; deliver again later.");
        }
        catch (AlipayHkPayException ex)
        {
            Log.WebhookConfirmationFailed(log.Logger, (int?)ex.StatusCode, ex.RequestId, ex.Message, ex);
            return Failed(502, "Payment could not be confirmed with the gateway; deliver again later.");
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
            // Forged, replayed, or ahead of the gateway's own books: never handled as paid, and not recorded, so a
            // genuine success delivered again later is confirmed then. (A cancelled order is final: the handler hears of
            // it as cancelled.)
            Log.WebhookUnconfirmedSuccess(log.Logger, confirmed.Payment!.OrderId, confirmed.Status);
            return new WebhookReceipt(503, "Payment not confirmed by the gateway yet; deliver again later.", "unconfirmed") { RetryAfter = TimeSpan.FromSeconds(15) };
        }

        if (outcomes is not null && confirmed.Payment is { IsFinal: true } final)
        {
            return await RouteOutcomeAsync(final, aborted).ConfigureAwait(false);
        }

        return await HandleAsync(confirmed, handler, aborted).ConfigureAwait(false);
    }

    /// <summary>With outcomes on, a final payment goes to the outcome handler: the payment store decides whether it runs.</summary>
    private async Task<WebhookReceipt> RouteOutcomeAsync(PaymentIntent final, CancellationToken aborted)
    {
        bool handledNow;
        try
        {
            handledNow = await outcomes!.CompleteAsync(Merchant, final, PaymentOutcomeSource.Webhook, aborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !aborted.IsCancellationRequested)
        {
            // Logged and counted by the tracker; nothing was recorded, so the gateway's next delivery offers it again.
            return Failed(500, "Outcome handler failed; deliver again later.");
        }

        await RecordFinalAsync(final).ConfigureAwait(false);
        return handledNow ? new WebhookReceipt(200, "OK", "accepted") : Duplicate();
    }

    /// <summary>Claims the confirmed outcome, runs the handler once, and records it handled.</summary>
    private async Task<WebhookReceipt> HandleAsync(ConfirmedWebhook confirmed, Func<ConfirmedWebhook, CancellationToken, Task>? handler, CancellationToken aborted)
    {
        if (handler is null)
        {
            // Outcomes take payments; nothing else is asked for (a refund callback, say): acknowledged.
            Log.WebhookNoHandler(log.Logger, confirmed.Notification.NotifyType);
            return new WebhookReceipt(200, "OK", "accepted");
        }

        string key = DeduplicationKeys.Scoped(Merchant, confirmed.DeduplicationKey);
        WebhookClaim claim;
        try
        {
            claim = await store.TryClaimAsync(key, aborted).ConfigureAwait(false);
            log.StoreWorked();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !aborted.IsCancellationRequested)
        {
            log.StoreFailed("claim", key, ex);
            return Failed(503, "Webhook could not be processed now; deliver again later.");
        }

        if (claim == WebhookClaim.AlreadyProcessed)
        {
            return Duplicate();
        }

        if (claim == WebhookClaim.InProgress)
        {
            Log.WebhookInProgress(log.Logger, key);
            return new WebhookReceipt(409, "Webhook is being processed; deliver again later.", "duplicate");
        }

        long started = timeProvider.GetTimestamp();
        try
        {
            await handler(confirmed, aborted).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await ReleaseQuietlyAsync(key).ConfigureAwait(false);
            Log.WebhookHandlerFailed(log.Logger, key, confirmed.Payment?.OrderId ?? confirmed.Notification.OrderId ?? confirmed.Notification.Refund?.RefundId, ex);
            return Failed(500, "Webhook handler failed; deliver again later.");
        }

        TimeSpan elapsed = timeProvider.GetElapsedTime(started);
        try
        {
            await store.MarkProcessedAsync(key, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The handler succeeded: answer 200 anyway. A later re-delivery may run it again.
            log.StoreFailed("record", key, ex);
        }

        if (confirmed.Payment is { IsFinal: true } final)
        {
            await RecordFinalAsync(final).ConfigureAwait(false);
        }

        if (elapsed > GatewayPatience)
        {
            Log.WebhookSlowHandler(log.Logger, key, elapsed.TotalMilliseconds);
        }
        else
        {
            Log.WebhookHandled(log.Logger, key, elapsed.TotalMilliseconds);
        }

        return new WebhookReceipt(200, "OK", "accepted");
    }

    /// <summary>Records a payment's handled final outcome by both its ids, so that a re-delivery naming either is answered without a gateway query.</summary>
    private async Task RecordFinalAsync(PaymentIntent final)
    {
        try
        {
            if (final.OrderId.Length > 0)
            {
                await store.MarkProcessedAsync(DeduplicationKeys.FinalByOrderId(Merchant, final.OrderId), CancellationToken.None).ConfigureAwait(false);
            }

            if (final.MerchantOrderId.Length > 0)
            {
                await store.MarkProcessedAsync(DeduplicationKeys.FinalByMerchantOrderId(Merchant, final.MerchantOrderId), CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            log.StoreFailed("record", final.OrderId, ex); // a later re-delivery costs one confirming query
        }
    }

    /// <summary>
    /// Whether the verified callback's payment has a final outcome that was handled already: in the payment store (with
    /// outcomes on, which survives a restart with a durable store), or in the duplicate store. Refunds never do: their
    /// keys are their own.
    /// </summary>
    private async ValueTask<bool> HandledAlreadyAsync(WebhookNotification notification, CancellationToken cancellationToken)
    {
        if (outcomes is not null && notification.Refund is null && notification.MerchantOrderId is { } tracked
            && await outcomes.FindAsync(Merchant ?? string.Empty, tracked, cancellationToken).ConfigureAwait(false) is { State: TrackedPaymentState.Succeeded or TrackedPaymentState.Cancelled })
        {
            return true;
        }

        string? key = notification.Refund is not null ? null
            : notification.OrderId is { } orderId ? DeduplicationKeys.FinalByOrderId(Merchant, orderId)
            : notification.MerchantOrderId is { } merchantOrderId ? DeduplicationKeys.FinalByMerchantOrderId(Merchant, merchantOrderId)
            : null;
        if (key is null)
        {
            return false;
        }

        try
        {
            bool handled = await store.IsProcessedAsync(key, cancellationToken).ConfigureAwait(false);
            log.StoreWorked();
            return handled;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new StoreFailure("look up", key, ex);
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
            log.StoreFailed("release", key, ex);
        }
    }

    /// <summary>
    /// Reads the whole body into a pooled buffer, stopping as soon as it exceeds <paramref name="maxBytes"/>: the length
    /// returned is then <paramref name="maxBytes"/> + 1.
    /// </summary>
    private static async Task<(byte[] Buffer, int Length)> ReadAsync(Stream body, long? declared, int maxBytes, CancellationToken cancellationToken)
    {
        int limit = maxBytes + 1;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, declared is long size ? (int)Math.Min(size + 1, limit) : Math.Min(InitialBufferBytes, limit)));
        int length = 0;
        try
        {
            while (length < limit)
            {
                if (length == buffer.Length)
                {
                    byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = await body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit) - length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>A body over the limit: refused unread (or read no further), and the connection closed so the rest is never read.</summary>
    private WebhookReceipt TooLarge()
    {
        log.Rejected(WebhookFailureReason.TooLarge, "The webhook body is larger than AlipayHkPay:MaxWebhookBodyBytes allows; it was not read to its end.");
        return new WebhookReceipt(413, "Webhook body too large.", "rejected", ReasonName(WebhookFailureReason.TooLarge)) { CloseConnection = true };
    }

    /// <summary>A rejection the processor logged already (through the same <see cref="WebhookLog"/>).</summary>
    private static WebhookReceipt Rejected(WebhookFailureReason reason, int status, string text) => new(status, text, "rejected", ReasonName(reason));

    private WebhookReceipt Duplicate()
    {
        Log.WebhookDuplicate(log.Logger);
        return new WebhookReceipt(200, "OK", "duplicate");
    }

    private static WebhookReceipt Failed(int status, string text) => new(status, text, "failed");

    private static string ReasonName(WebhookFailureReason reason) => reason switch
    {
        WebhookFailureReason.MissingSignature => "missing_signature",
        WebhookFailureReason.SignatureMismatch => "signature_mismatch",
        WebhookFailureReason.MalformedPayload => "malformed_payload",
        WebhookFailureReason.TooLarge => "too_large",
        WebhookFailureReason.IncompleteBody => "incomplete_body",
        _ => "unknown",
    };

    /// <summary>The duplicate store failed before the handler ran.</summary>
    private sealed class StoreFailure(string operation, string key, Exception inner) : Exception(inner.Message, inner)
    {
        internal string Operation => operation;

        internal string Key => key;
    }
}
