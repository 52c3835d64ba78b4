using AlipayHk.Pay.Pipeline;

namespace AlipayHk.Pay.Payments;

/// <summary>
/// The SDK's client: each call is an operation run by the merchant's <see cref="GatewayPipeline"/>
/// (<see cref="CreatePayment"/>, <see cref="QueryPayment"/>); a wait is <see cref="CompletionPoller"/>'s.
/// </summary>
internal sealed class AlipayHkPayClient : IAlipayHkPayClient
{
    private readonly GatewayPipeline _pipeline;
    private readonly CompletionPoller _poller;

    public AlipayHkPayClient(GatewayPipeline pipeline, IAlipayHkPayCompletionSignals signals, TimeProvider timeProvider)
    {
        _pipeline = pipeline;
        _poller = new CompletionPoller(this, pipeline, signals, timeProvider);
    }

    public Task<PaymentIntent> CreatePaymentAsync(CreatePaymentRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.RunAsync(CreatePayment.Operation, request, cancellationToken);

    public Task<PaymentIntent> GetPaymentAsync(PaymentReference reference, CancellationToken cancellationToken = default) =>
        _pipeline.RunAsync(QueryPayment.Operation, reference, cancellationToken);

    public Task<PaymentIntent> WaitForCompletionAsync(PaymentReference reference, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _poller.WaitAsync(reference, timeout, cancellationToken);
}
