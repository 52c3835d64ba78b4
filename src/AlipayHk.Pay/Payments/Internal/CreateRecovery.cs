using System.Diagnostics;
using AlipayHk.Pay.Diagnostics;
using AlipayHk.Pay.Pipeline;

namespace AlipayHk.Pay.Payments;

/// <summary>
/// The create's recovery hook: after an interrupted create, ask the gateway whether it has the order before anything
/// is re-sent.
/// <list type="bullet">
/// <item>Found: return it, marked <see cref="PaymentIntent.IsRecovered"/> (a query's answer has no QR code).</item>
/// <item>Not found (an error envelope): re-send once with the same merchant order id. If that is interrupted too,
/// look once more: found, return it; not found again, the order does not exist
/// (an <see cref="AlipayHkPayException"/> that <see cref="AlipayHkPayException.IsTransient"/>: safe to retry with the same id).</item>
/// <item>Cannot tell (no answer, 5xx): throw <see cref="AlipayHkPayOutcomeUnknownException"/>.</item>
/// </list>
/// Each outcome is counted (<c>alipayhk.client.create.recoveries</c>) and set on the create's span.
/// </summary>
internal static class CreateRecovery
{
    internal static async Task<PaymentIntent> RecoverAsync(
        GatewayPipeline pipeline, CreatePaymentRequest request, AlipayHkPayException interrupted, Activity? span, CancellationToken cancellationToken)
    {
        string merchantOrderId = request.MerchantOrderId;
        Log.CreateInterrupted(pipeline.Logger, merchantOrderId, interrupted.Message);
        (PaymentIntent? existing, AlipayHkPayApiException? notFound) = await LookUpAsync(pipeline, merchantOrderId, interrupted, span, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return Found(pipeline, merchantOrderId, existing, span);
        }

        Log.CreateResent(pipeline.Logger, merchantOrderId, notFound!.Code);
        AlipayHkPayException resendFailed;
        try
        {
            PaymentIntent created = await pipeline.SendAsync(CreatePayment.Operation, request, cancellationToken).ConfigureAwait(false);
            Outcome(pipeline, span, TelemetryNames.RecoveryResent);
            return created;
        }
        catch (AlipayHkPayException again) when (again.IsTransient)
        {
            resendFailed = again;
        }
        catch (AlipayHkPayApiException refused)
        {
            // The gateway may refuse the re-send because the first create landed after all (a duplicate id).
            (PaymentIntent? landed, _) = await LookUpAsync(pipeline, merchantOrderId, refused, span, cancellationToken).ConfigureAwait(false);
            if (landed is null)
            {
                throw;
            }

            return Found(pipeline, merchantOrderId, landed, span);
        }

        // The one re-send was interrupted too: one more look.
        (existing, _) = await LookUpAsync(pipeline, merchantOrderId, resendFailed, span, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return Found(pipeline, merchantOrderId, existing, span);
        }

        // The gateway says twice that it has no such order.
        Log.CreateNotCreated(pipeline.Logger, merchantOrderId);
        Outcome(pipeline, span, TelemetryNames.RecoveryNotCreated);
        throw new AlipayHkPayException(
            $"Merchant order '{merchantOrderId}' was not created: the create was interrupted, and the gateway then answered twice that it has no such order. It is safe to retry with the same MerchantOrderId.",
            resendFailed.RequestId,
            resendFailed.StatusCode,
            resendFailed)
        {
            IsTransient = true,
            ErrorType = ErrorTypes.NotCreated,
        };
    }

    private static PaymentIntent Found(GatewayPipeline pipeline, string merchantOrderId, PaymentIntent existing, Activity? span)
    {
        Log.CreateRecovered(pipeline.Logger, merchantOrderId, existing.OrderId, existing.RequestId);
        Outcome(pipeline, span, TelemetryNames.RecoveryFound);
        return existing;
    }

    /// <summary>Queries by merchant order id: the intent when found, the refusal when the gateway has no such order; throws when it cannot tell.</summary>
    private static async Task<(PaymentIntent? Found, AlipayHkPayApiException? NotFound)> LookUpAsync(
        GatewayPipeline pipeline, string merchantOrderId, AlipayHkPayException interrupted, Activity? span, CancellationToken cancellationToken)
    {
        try
        {
            return (await pipeline.SendAsync(QueryPayment.Recovery, PaymentReference.ByMerchantOrderId(merchantOrderId), cancellationToken).ConfigureAwait(false), null);
        }
        catch (AlipayHkPayApiException notFound) when (!notFound.IsTransient)
        {
            // The gateway publishes no error codes, so any refusal of the query means "no such order";
            // but an error envelope on a 5xx is the gateway failing, not answering: that falls through to "cannot tell".
            return (null, notFound);
        }
        catch (AlipayHkPayException cannotTell)
        {
            Log.CreateOutcomeUnknown(pipeline.Logger, merchantOrderId, cannotTell.Message);
            Outcome(pipeline, span, TelemetryNames.RecoveryUnknown);
            throw new AlipayHkPayOutcomeUnknownException(
                merchantOrderId,
                cannotTell.RequestId ?? interrupted.RequestId,
                cannotTell.StatusCode ?? interrupted.StatusCode,
                cannotTell);
        }
    }

    private static void Outcome(GatewayPipeline pipeline, Activity? span, string outcome)
    {
        span?.SetTag(TelemetryNames.CreateRecovery, outcome);
        pipeline.Instruments.CountRecovery(outcome, pipeline.Merchant.Name);
    }
}
