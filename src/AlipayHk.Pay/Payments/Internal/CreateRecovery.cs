using AlipayHk.Pay.Http;

namespace AlipayHk.Pay.Payments;

/// <summary>
/// What happens after an interrupted create: ask the gateway whether it has the order before anything is re-sent.
/// Found: return it. Not found (an error envelope): re-send once with the same merchant order id.
/// Cannot tell (no answer, 5xx): throw <see cref="AlipayHkPayOutcomeUnknownException"/>.
/// </summary>
internal sealed class CreateRecovery(PaymentsGateway gateway)
{
    internal async Task<PaymentIntent> RecoverAsync(CreatePaymentIntentBody body, AlipayHkPayException interrupted, CancellationToken cancellationToken)
    {
        string merchantOrderId = body.MerchantOrderId;
        Log.CreateInterrupted(gateway.Logger, merchantOrderId, interrupted.Message);
        AlipayHkPayException lastFailure = interrupted;
        for (int round = 0; round < 2; round++)
        {
            (PaymentIntent? existing, AlipayHkPayApiException? notFound) = await LookUpAsync(merchantOrderId, lastFailure, cancellationToken).ConfigureAwait(false);
            if (existing is not null)
            {
                Log.CreateRecovered(gateway.Logger, merchantOrderId, existing.OrderId, existing.RequestId);
                return existing;
            }

            if (round == 1)
            {
                break; // The one re-send was interrupted too and the order is still not there: stop guessing.
            }

            Log.CreateResent(gateway.Logger, merchantOrderId, notFound!.Code);
            try
            {
                return await gateway.CreateAsync(body, cancellationToken).ConfigureAwait(false);
            }
            catch (AlipayHkPayException again) when (again.IsTransient)
            {
                lastFailure = again;
            }
            catch (AlipayHkPayApiException refused)
            {
                // The gateway may refuse the re-send because the first create landed after all (a duplicate id).
                (PaymentIntent? landed, _) = await LookUpAsync(merchantOrderId, refused, cancellationToken).ConfigureAwait(false);
                if (landed is not null)
                {
                    Log.CreateRecovered(gateway.Logger, merchantOrderId, landed.OrderId, landed.RequestId);
                    return landed;
                }

                throw;
            }
        }

        Log.CreateOutcomeUnknown(gateway.Logger, merchantOrderId, lastFailure.Message);
        throw new AlipayHkPayOutcomeUnknownException(merchantOrderId, lastFailure.RequestId, lastFailure.StatusCode, lastFailure);
    }

    /// <summary>Queries by merchant order id: the intent when found, the refusal when the gateway has no such order; throws when it cannot tell.</summary>
    private async Task<(PaymentIntent? Found, AlipayHkPayApiException? NotFound)> LookUpAsync(
        string merchantOrderId, AlipayHkPayException interrupted, CancellationToken cancellationToken)
    {
        try
        {
            return (await gateway.QueryAsync(null, merchantOrderId, cancellationToken).ConfigureAwait(false), null);
        }
        catch (AlipayHkPayApiException notFound) when (!notFound.IsTransient)
        {
            // The gateway publishes no error codes, so any refusal of the query means "no such order";
            // but an error envelope on a 5xx is the gateway failing, not answering: that falls through to "cannot tell".
            return (null, notFound);
        }
        catch (AlipayHkPayException cannotTell)
        {
            Log.CreateOutcomeUnknown(gateway.Logger, merchantOrderId, cannotTell.Message);
            throw new AlipayHkPayOutcomeUnknownException(
                merchantOrderId,
                cannotTell.RequestId ?? interrupted.RequestId,
                cannotTell.StatusCode ?? interrupted.StatusCode,
                cannotTell);
        }
    }
}
