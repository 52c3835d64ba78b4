using AlipayHk.Pay.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlipayHk.Pay;

/// <summary>The SDK's client: validation, the envelope, duplicate-safe creates, polling and logs.</summary>
internal sealed class AlipayHkPayClient(
    IAlipayHkPaymentsApi api,
    IOptionsMonitor<AlipayHkPayOptions> options,
    TimeProvider timeProvider,
    ILogger<AlipayHkPayClient> logger) : IAlipayHkPayClient
{
    private const string CurrencyHkd = "HKD";
    private const string ChannelAlipayHk = "alipayhk";
    private const string FlowCsbQrCode = "csb_qrcode";
    private const string CreateOperation = "The create";
    private const string QueryOperation = "The query";

    private static System.Text.Json.Serialization.Metadata.JsonTypeInfo<GatewayEnvelope<PaymentIntentData>> EnvelopeType =>
        GatewayJsonContext.Default.GatewayEnvelopePaymentIntentData;

    public async Task<PaymentIntent> CreatePaymentAsync(CreatePaymentRequest request, CancellationToken cancellationToken = default)
    {
        PaymentValidation.Validate(request);
        CreatePaymentIntentBody body = ToBody(request);
        long started = timeProvider.GetTimestamp();
        try
        {
            PaymentIntent created;
            try
            {
                created = await SendCreateAsync(body, cancellationToken).ConfigureAwait(false);
            }
            catch (AlipayHkPayException interrupted) when (interrupted.IsTransient)
            {
                created = await RecoverCreateAsync(body, interrupted, cancellationToken).ConfigureAwait(false);
            }

            if (logger.IsEnabled(LogLevel.Information))
            {
                // Guarded: the elapsed time is only read when the line is written.
                Log.CallSucceeded(logger, "create", body.MerchantOrderId, Elapsed(started), created.OrderId, created.RawStatus, created.RequestId);
            }
            return created;
        }
        catch (AlipayHkPayException ex)
        {
            LogFailure("create", body.MerchantOrderId, started, ex);
            throw;
        }
    }

    public async Task<PaymentIntent> GetPaymentAsync(PaymentReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        long started = timeProvider.GetTimestamp();
        try
        {
            PaymentIntent intent = await QueryAsync(reference.OrderId, reference.MerchantOrderId, cancellationToken).ConfigureAwait(false);
            if (logger.IsEnabled(LogLevel.Information))
            {
                // Guarded: the reference's text and the elapsed time are only built when the line is written.
                Log.CallSucceeded(logger, "query", reference.ToString(), Elapsed(started), intent.OrderId, intent.RawStatus, intent.RequestId);
            }

            return intent;
        }
        catch (AlipayHkPayException ex)
        {
            LogFailure("query", reference.ToString(), started, ex);
            throw;
        }
    }

    public async Task<PaymentIntent> WaitForCompletionAsync(PaymentReference reference, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        AlipayHkPayOptions settings = options.CurrentValue;
        DateTimeOffset deadline = timeProvider.GetUtcNow() + timeout;
        TimeSpan delay = settings.PollInitialDelay;
        PaymentIntent? last = null;
        AlipayHkPayException? lastFailure = null;

        using var waitEnds = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, waitEnds.Token);
        while (true)
        {
            try
            {
                last = await GetPaymentAsync(reference, linked.Token).ConfigureAwait(false);
                if (last.IsFinal)
                {
                    return last;
                }
            }
            catch (AlipayHkPayException ex) when (ex.IsTransient)
            {
                lastFailure = ex;
                Log.PollFailed(logger, reference.ToString(), ex.Message);
            }
            catch (OperationCanceledException) when (waitEnds.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                break; // The wait's own timeout cut a query short.
            }

            TimeSpan remaining = deadline - timeProvider.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            TimeSpan pause = delay < remaining ? delay : remaining;
            Log.StillWaiting(logger, reference.ToString(), last?.RawStatus ?? "no answer yet", pause.TotalMilliseconds);
            try
            {
                await Task.Delay(pause, timeProvider, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (waitEnds.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.PollMaxDelay.Ticks));
        }

        return last ?? throw new AlipayHkPayException(
            $"No answer about {reference} within {timeout}: {lastFailure?.Message ?? "no query completed"}",
            lastFailure?.RequestId,
            lastFailure?.StatusCode,
            lastFailure);
    }

    /// <summary>
    /// After an interrupted create: ask the gateway whether it has the order before anything is re-sent.
    /// Found: return it. Not found (an error envelope): re-send once with the same merchant order id.
    /// Cannot tell (no answer, 5xx): throw <see cref="AlipayHkPayOutcomeUnknownException"/>.
    /// </summary>
    private async Task<PaymentIntent> RecoverCreateAsync(CreatePaymentIntentBody body, AlipayHkPayException interrupted, CancellationToken cancellationToken)
    {
        string merchantOrderId = body.MerchantOrderId;
        Log.CreateInterrupted(logger, merchantOrderId, interrupted.Message);
        AlipayHkPayException lastFailure = interrupted;
        for (int round = 0; round < 2; round++)
        {
            (PaymentIntent? existing, AlipayHkPayApiException? notFound) = await LookUpAfterInterruptionAsync(merchantOrderId, lastFailure, cancellationToken).ConfigureAwait(false);
            if (existing is not null)
            {
                Log.CreateRecovered(logger, merchantOrderId, existing.OrderId, existing.RequestId);
                return existing;
            }

            if (round == 1)
            {
                break; // The one re-send was interrupted too and the order is still not there: stop guessing.
            }

            Log.CreateResent(logger, merchantOrderId, notFound!.Code);
            try
            {
                return await SendCreateAsync(body, cancellationToken).ConfigureAwait(false);
            }
            catch (AlipayHkPayException again) when (again.IsTransient)
            {
                lastFailure = again;
            }
            catch (AlipayHkPayApiException refused)
            {
                // The gateway may refuse the re-send because the first create landed after all (a duplicate id).
                (PaymentIntent? landed, _) = await LookUpAfterInterruptionAsync(merchantOrderId, refused, cancellationToken).ConfigureAwait(false);
                if (landed is not null)
                {
                    Log.CreateRecovered(logger, merchantOrderId, landed.OrderId, landed.RequestId);
                    return landed;
                }

                throw;
            }
        }

        Log.CreateOutcomeUnknown(logger, merchantOrderId, lastFailure.Message);
        throw new AlipayHkPayOutcomeUnknownException(merchantOrderId, lastFailure.RequestId, lastFailure.StatusCode, lastFailure);
    }

    /// <summary>Queries by merchant order id: the intent when found, the refusal when the gateway has no such order; throws when it cannot tell.</summary>
    private async Task<(PaymentIntent? Found, AlipayHkPayApiException? NotFound)> LookUpAfterInterruptionAsync(
        string merchantOrderId, AlipayHkPayException interrupted, CancellationToken cancellationToken)
    {
        try
        {
            return (await QueryAsync(null, merchantOrderId, cancellationToken).ConfigureAwait(false), null);
        }
        catch (AlipayHkPayApiException notFound) when (!notFound.IsTransient)
        {
            // The gateway publishes no error codes, so any refusal of the query means "no such order";
            // but an error envelope on a 5xx is the gateway failing, not answering: that falls through to "cannot tell".
            return (null, notFound);
        }
        catch (AlipayHkPayException cannotTell)
        {
            Log.CreateOutcomeUnknown(logger, merchantOrderId, cannotTell.Message);
            throw new AlipayHkPayOutcomeUnknownException(
                merchantOrderId,
                cannotTell.RequestId ?? interrupted.RequestId,
                cannotTell.StatusCode ?? interrupted.StatusCode,
                cannotTell);
        }
    }

    private async Task<PaymentIntent> SendCreateAsync(CreatePaymentIntentBody body, CancellationToken cancellationToken) =>
        ToIntent(await GatewayResponse.ReceiveAsync(
            api.CreatePaymentIntentAsync(body, cancellationToken), EnvelopeType, CreateOperation, cancellationToken).ConfigureAwait(false));

    private async Task<PaymentIntent> QueryAsync(string? orderId, string? merchantOrderId, CancellationToken cancellationToken) =>
        ToIntent(await GatewayResponse.ReceiveAsync(
            api.QueryPaymentIntentAsync(new QueryPaymentIntentBody { OrderId = orderId, MerchantOrderId = merchantOrderId }, cancellationToken),
            EnvelopeType,
            QueryOperation,
            cancellationToken).ConfigureAwait(false));

    private PaymentIntent ToIntent(GatewayEnvelope<PaymentIntentData> envelope) =>
        PaymentIntentMapper.ToIntent(envelope.Data!, envelope.Rid, logger);

    private static CreatePaymentIntentBody ToBody(CreatePaymentRequest request) => new()
    {
        Amount = AmountFormat.Format(request.Amount),
        Currency = CurrencyHkd,
        MerchantOrderId = request.MerchantOrderId,
        PaymentMethod = request.Wallet == AlipayHkWallet.AlipayHk ? AlipayHkMethod : AlipayCnMethod,
        Description = request.Description,
        NotifyUrl = request.NotifyUrl?.AbsoluteUri,
    };

    /// <summary>The <c>payment_method</c> of an in-store QR create for each wallet: constant, so built once (init-only).</summary>
    private static readonly PaymentMethodBody AlipayHkMethod = QrCodeMethod("ALIPAYHK");

    private static readonly PaymentMethodBody AlipayCnMethod = QrCodeMethod("ALIPAYCN");

    private static PaymentMethodBody QrCodeMethod(string wallet) => new()
    {
        Type = ChannelAlipayHk,
        AlipayHk = new AlipayHkMethodBody { Flow = FlowCsbQrCode, PaymentMethod = wallet },
    };

    private double Elapsed(long started) => timeProvider.GetElapsedTime(started).TotalMilliseconds;

    private void LogFailure(string operation, string reference, long started, AlipayHkPayException ex) =>
        Log.CallFailed(logger, operation, reference, Elapsed(started), (int?)ex.StatusCode, ex.RequestId, ex.Message);
}
