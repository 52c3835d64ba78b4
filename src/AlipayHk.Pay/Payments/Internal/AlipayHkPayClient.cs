using AlipayHk.Pay.Diagnostics;
using AlipayHk.Pay.Outcomes;
using AlipayHk.Pay.Pipeline;

namespace AlipayHk.Pay.Payments;

/// <summary>
/// The SDK's client: each call is an operation run by the merchant's <see cref="GatewayPipeline"/>
/// (<see cref="CreatePayment"/>, <see cref="QueryPayment"/>); a wait is <see cref="CompletionPoller"/>'s. With outcomes on
/// (<see cref="OutcomeTracker"/>), each create is tracked in the payment store and each final status it returns is
/// offered to the outcome handler.
/// </summary>
internal sealed class AlipayHkPayClient : IAlipayHkPayClient
{
    private readonly GatewayPipeline _pipeline;
    private readonly CompletionPoller _poller;

    public AlipayHkPayClient(GatewayPipeline pipeline, IAlipayHkPayCompletionSignals signals, OutcomeTracker? outcomes, TimeProvider timeProvider)
    {
        _pipeline = pipeline;
        Outcomes = outcomes;
        _poller = new CompletionPoller(this, pipeline, signals, timeProvider);
    }

    internal Merchant Merchant => _pipeline.Merchant;

    internal OutcomeTracker? Outcomes { get; }

    public async Task<PaymentIntent> CreatePaymentAsync(CreatePaymentRequest request, CancellationToken cancellationToken = default)
    {
        if (Outcomes is null)
        {
            return await _pipeline.RunAsync(CreatePayment.Operation, request, cancellationToken).ConfigureAwait(false);
        }

        // Bad input is refused before anything is recorded or sent; then the payment is recorded before its create is sent.
        CreatePayment.Operation.Validate(request);
        string merchant = Merchant.Key;
        TrackedPayment? tracked = await Outcomes.BeginCreateAsync(merchant, request, cancellationToken).ConfigureAwait(false);
        PaymentIntent created;
        try
        {
            created = await _pipeline.RunAsync(CreatePayment.Operation, request, cancellationToken).ConfigureAwait(false);
        }
        catch (AlipayHkPayException failed) when (tracked is not null && NeverCreated(failed))
        {
            if (await Outcomes.FindAsync(merchant, request.MerchantOrderId, CancellationToken.None).ConfigureAwait(false) is { } record)
            {
                await Outcomes.NotCreatedAsync(record, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }

        try
        {
            await Outcomes.CreatedAsync(merchant, tracked, created, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The order exists and the caller gets it; the record stays "creating", which the reconciler resolves by merchant order id.
            Log.TrackingFailed(_pipeline.Logger, request.MerchantOrderId, ex);
        }

        if (created.IsFinal)
        {
            // A recovered create can find an order that is final already.
            await Outcomes.CompleteQuietlyAsync(Merchant.Name, created, PaymentOutcomeSource.Query, cancellationToken).ConfigureAwait(false);
        }

        return created;
    }

    public async Task<PaymentIntent> GetPaymentAsync(PaymentReference reference, CancellationToken cancellationToken = default)
    {
        PaymentIntent payment = await QueryAsync(reference, cancellationToken).ConfigureAwait(false);
        if (Outcomes is not null && payment.IsFinal)
        {
            await Outcomes.CompleteQuietlyAsync(Merchant.Name, payment, PaymentOutcomeSource.Query, cancellationToken).ConfigureAwait(false);
        }

        return payment;
    }

    public Task<PaymentIntent> WaitForCompletionAsync(PaymentReference reference, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _poller.WaitAsync(reference, timeout, cancellationToken);

    /// <summary>A query, without offering its outcome to the handler (the caller does, with its own source).</summary>
    internal Task<PaymentIntent> QueryAsync(PaymentReference reference, CancellationToken cancellationToken) =>
        _pipeline.RunAsync(QueryPayment.Operation, reference, cancellationToken);

    /// <summary>
    /// A create that certainly never made an order: its recovery found it not created. A refusal is no such proof: the
    /// gateway refuses a merchant order id it has already, as when the app died during the first create of a sale and the
    /// till rings it up again. A refused create's payment stays open; the reconciler finds its order by merchant order id,
    /// or, once the create can no longer land, marks it not created.
    /// </summary>
    private static bool NeverCreated(AlipayHkPayException failed) => failed.ErrorType == ErrorTypes.NotCreated;
}
