using System.Diagnostics;
using AlipayHk.Pay.Diagnostics;
using AlipayHk.Pay.Payments;

namespace AlipayHk.Pay;

/// <summary>Verifies a callback, then asks the gateway for the payment it names. One span (<c>AlipayHkPay.ProcessWebhook</c>) per callback.</summary>
internal sealed class AlipayHkPayWebhookProcessor(
    MerchantWebhookVerifier verifier,
    AlipayHkPayClient client,
    WebhookLog log,
    AlipayHkPayInstruments instruments,
    IAlipayHkPayCompletionSignals signals,
    string? merchant) : IAlipayHkPayWebhookProcessor
{
    internal string? Merchant => merchant;

    internal MerchantWebhookVerifier Verifier => verifier;

    public async Task<ConfirmedWebhook> ProcessAsync(ReadOnlyMemory<byte> body, string? signature, CancellationToken cancellationToken = default) =>
        (await ProcessAsync(verifier.Current, body, signature, handledAlready: null, cancellationToken).ConfigureAwait(false))!;

    /// <summary>
    /// Verifies the callback once with <paramref name="current"/> and confirms it; or, when <paramref name="handledAlready"/>
    /// says the verified callback's outcome was handled, returns <see langword="null"/> without asking the gateway.
    /// </summary>
    internal async Task<ConfirmedWebhook?> ProcessAsync(
        AlipayHkPayWebhookVerifier current,
        ReadOnlyMemory<byte> body,
        string? signature,
        Func<WebhookNotification, CancellationToken, ValueTask<bool>>? handledAlready,
        CancellationToken cancellationToken)
    {
        OperationScope scope = OperationScope.Start(instruments, TelemetryNames.ProcessWebhook, ActivityKind.Internal, merchant);
        try
        {
            WebhookNotification notification = current.Verify(body.Span, signature);
            scope.SetTag(TelemetryNames.OrderId, notification.OrderId);
            scope.SetTag(TelemetryNames.MerchantOrderId, notification.MerchantOrderId);
            if (handledAlready is not null && await handledAlready(notification, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            ConfirmedWebhook confirmed = await ConfirmAsync(notification, body, cancellationToken).ConfigureAwait(false);
            if (confirmed.Payment is { } payment)
            {
                if (scope.Activity is { } span)
                {
                    PaymentSpan.Tag(span, payment);
                }

                if (payment.IsFinal)
                {
                    await AnnounceAsync(payment, cancellationToken).ConfigureAwait(false);
                }
            }

            return confirmed;
        }
        catch (Exception ex)
        {
            if (ex is AlipayHkPayWebhookException rejected)
            {
                // The callback was refused (by the verifier, or by what the gateway says): logged here, once, bounded.
                log.Rejected(rejected.Reason, rejected.Message);
            }

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
            Log.SignalsFailed(log.Logger, "publish", payment.OrderId, ex);
        }
    }

    private async Task<ConfirmedWebhook> ConfirmAsync(WebhookNotification notification, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (notification.Refund is { } refund)
        {
            // No refund query exists to confirm it with: the signed callback is all there is.
            return new ConfirmedWebhook(notification, null, DeduplicationKeys.ForRefund(notification.NotifyType, refund), merchant);
        }

        PaymentReference? reference = ReferenceFor(notification);
        if (reference is null)
        {
            Log.WebhookNotConfirmable(log.Logger, notification.NotifyType);
            return new ConfirmedWebhook(notification, null, DeduplicationKeys.ForBody(notification.NotifyType, body.Span), merchant);
        }

        PaymentIntent payment = await client.QueryAsync(reference, cancellationToken).ConfigureAwait(false);
        if (notification.MerchantOrderId is not null && payment.MerchantOrderId.Length > 0
            && !string.Equals(notification.MerchantOrderId, payment.MerchantOrderId, StringComparison.Ordinal))
        {
            throw new AlipayHkPayWebhookException(
                WebhookFailureReason.MalformedPayload,
                $"The webhook names merchant order '{notification.MerchantOrderId}', but the gateway's order {reference} belongs to merchant order '{payment.MerchantOrderId}': the callback is inconsistent and is not trusted.");
        }

        if (notification.IsPaymentSuccess && payment.Status != PaymentStatus.Succeeded)
        {
            Log.WebhookClaimNotConfirmed(log.Logger, notification.NotifyType, payment.OrderId, payment.Status);
        }
        else
        {
            Log.WebhookConfirmed(log.Logger, notification.NotifyType, payment.OrderId, payment.Status);
        }

        return new ConfirmedWebhook(notification, payment, DeduplicationKeys.ForPayment(payment, reference.ToString()), merchant);
    }

    private static PaymentReference? ReferenceFor(WebhookNotification notification)
    {
        try
        {
            return notification.OrderId is not null ? PaymentReference.ByOrderId(notification.OrderId)
                : notification.MerchantOrderId is not null ? PaymentReference.ByMerchantOrderId(notification.MerchantOrderId)
                : null;
        }
        catch (ArgumentException ex)
        {
            throw new AlipayHkPayWebhookException(
                WebhookFailureReason.MalformedPayload,
                $"The webhook's order id is not one the gateway issues (1 to 32 printable ASCII characters): {ex.Message}",
                ex);
        }
    }
}
