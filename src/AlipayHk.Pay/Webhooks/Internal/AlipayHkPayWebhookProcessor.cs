using System.Diagnostics;
using System.Security.Cryptography;
using AlipayHk.Pay.Diagnostics;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay;

/// <summary>Verifies a callback, then asks the gateway for the payment it names.</summary>
internal sealed class AlipayHkPayWebhookProcessor(
    IAlipayHkPayWebhookVerifier verifier,
    IAlipayHkPayClient client,
    ILogger<AlipayHkPayWebhookProcessor> logger,
    AlipayHkPayInstruments instruments,
    IAlipayHkPayCompletionSignals signals,
    string? merchant) : IAlipayHkPayWebhookProcessor
{
    private const string Span = TelemetryNames.SpanPrefix + TelemetryNames.ProcessWebhook;

    public async Task<ConfirmedWebhook> ProcessAsync(ReadOnlyMemory<byte> body, string? signature, CancellationToken cancellationToken = default)
    {
        OperationScope scope = OperationScope.Start(instruments, TelemetryNames.ProcessWebhook, Span, ActivityKind.Internal, merchant);
        try
        {
            ConfirmedWebhook confirmed = await VerifyAndConfirmAsync(body, signature, cancellationToken).ConfigureAwait(false);
            if (confirmed.Payment is { } payment)
            {
                scope.SetPayment(payment);
                if (payment.IsFinal)
                {
                    await AnnounceAsync(payment, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                scope.SetTag(TelemetryNames.OrderId, confirmed.Notification.OrderId);
                scope.SetTag(TelemetryNames.MerchantOrderId, confirmed.Notification.MerchantOrderId);
            }

            return confirmed;
        }
        catch (Exception ex)
        {
            scope.Fail(ex);
            throw;
        }
        finally
        {
            scope.Dispose();
        }
    }

    /// <summary>Wakes the waits on this payment: the gateway just confirmed it final.</summary>
    private async ValueTask AnnounceAsync(PaymentIntent payment, CancellationToken cancellationToken)
    {
        try
        {
            await signals.PublishAsync(merchant, payment, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The callback is still confirmed; the waits learn the outcome by polling.
            Log.SignalsFailed(logger, "publish", payment.OrderId, ex);
        }
    }

    private async Task<ConfirmedWebhook> VerifyAndConfirmAsync(ReadOnlyMemory<byte> body, string? signature, CancellationToken cancellationToken)
    {
        WebhookNotification notification;
        try
        {
            notification = verifier.Verify(body.Span, signature);
        }
        catch (AlipayHkPayWebhookException ex)
        {
            Log.WebhookRejected(logger, ex.Reason, ex.Message);
            throw;
        }

        if (notification.Refund is { } refund)
        {
            // No refund query exists to confirm it with: the signed callback is all there is.
            return new ConfirmedWebhook(notification, null, DeduplicationKeys.ForRefund(notification.NotifyType, refund), merchant);
        }

        PaymentReference? reference = ReferenceFor(notification);
        if (reference is null)
        {
            Log.WebhookNotConfirmable(logger, notification.NotifyType);
            return new ConfirmedWebhook(notification, null, $"{notification.NotifyType}:body:{Convert.ToHexString(SHA256.HashData(body.Span))}", merchant);
        }

        PaymentIntent payment = await client.GetPaymentAsync(reference, cancellationToken).ConfigureAwait(false);
        if (notification.MerchantOrderId is not null && payment.MerchantOrderId.Length > 0
            && !string.Equals(notification.MerchantOrderId, payment.MerchantOrderId, StringComparison.Ordinal))
        {
            var mismatch = new AlipayHkPayWebhookException(
                WebhookFailureReason.MalformedPayload,
                $"The webhook names merchant order '{notification.MerchantOrderId}', but the gateway's order {reference} belongs to merchant order '{payment.MerchantOrderId}': the callback is inconsistent and is not trusted.");
            Log.WebhookRejected(logger, mismatch.Reason, mismatch.Message);
            throw mismatch;
        }

        if (notification.IsPaymentSuccess && payment.Status != PaymentStatus.Succeeded)
        {
            Log.WebhookClaimNotConfirmed(logger, notification.NotifyType, payment.OrderId, payment.Status);
        }
        else
        {
            Log.WebhookConfirmed(logger, notification.NotifyType, payment.OrderId, payment.Status);
        }

        return new ConfirmedWebhook(notification, payment, DeduplicationKeys.ForPayment(payment, reference.ToString()), merchant);
    }

    private PaymentReference? ReferenceFor(WebhookNotification notification)
    {
        try
        {
            return notification.OrderId is not null ? PaymentReference.ByOrderId(notification.OrderId)
                : notification.MerchantOrderId is not null ? PaymentReference.ByMerchantOrderId(notification.MerchantOrderId)
                : null;
        }
        catch (ArgumentException ex)
        {
            var malformed = new AlipayHkPayWebhookException(
                WebhookFailureReason.MalformedPayload,
                $"The webhook's order id is not one the gateway issues (1 to 32 printable ASCII characters): {ex.Message}",
                ex);
            Log.WebhookRejected(logger, malformed.Reason, malformed.Message);
            throw malformed;
        }
    }
}
