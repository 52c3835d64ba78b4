namespace AlipayHk.Pay.Testing;

// The payments: find them, play the shopper (pay, give up, time out), wait for a status.
public sealed partial class AlipayHkGatewaySimulator
{
    /// <summary>Every payment created so far, oldest first: a snapshot.</summary>
    public IReadOnlyList<SimulatedPayment> Payments => _state.Payments.Snapshot();

    /// <summary>Finds a payment by its order id or its merchant order id.</summary>
    /// <param name="orderIdOrMerchantOrderId">
    /// Either id. Wherever a method takes this, a merchant order id that several merchants use is refused with an
    /// <see cref="InvalidOperationException"/>: name such a payment by its order id.
    /// </param>
    /// <returns>A snapshot of the payment, or <see langword="null"/> when there is none.</returns>
    public SimulatedPayment? GetPayment(string orderIdOrMerchantOrderId)
    {
        ArgumentNullException.ThrowIfNull(orderIdOrMerchantOrderId);
        return _state.Payments.Find(orderIdOrMerchantOrderId);
    }

    /// <summary>
    /// The shopper pays: the payment becomes <c>SUCCEEDED</c> with <c>pay_time</c> now, and, when the create named a
    /// <c>notify_url</c>, a signed <c>payment_success</c> callback is sent. Returns once that first notification was
    /// answered (or failed); retries, if needed, go on in the background.
    /// </summary>
    /// <param name="orderIdOrMerchantOrderId">The payment, by either id.</param>
    /// <param name="cancellationToken">Stops waiting for the first notification; the payment stays paid.</param>
    /// <returns>The paid payment.</returns>
    /// <exception cref="KeyNotFoundException">There is no such payment.</exception>
    /// <exception cref="InvalidOperationException">The payment is not <c>PENDING</c> (already paid, or cancelled).</exception>
    public async Task<SimulatedPayment> CompletePaymentAsync(string orderIdOrMerchantOrderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orderIdOrMerchantOrderId);
        ThrowIfDisposed();
        SimulatedPayment paid = _lifecycle.Pay(orderIdOrMerchantOrderId);
        if (paid.NotifyUrl is not null)
        {
            await WaitForCallbackAsync(paid.OrderId, 1, cancellationToken).ConfigureAwait(false);
        }

        return paid;
    }

    /// <summary>Closes a pending payment: it becomes <c>CANCELLED</c>, as when the shopper gives up. No callback is sent.</summary>
    /// <param name="orderIdOrMerchantOrderId">The payment, by either id.</param>
    /// <returns>The cancelled payment.</returns>
    /// <exception cref="KeyNotFoundException">There is no such payment.</exception>
    /// <exception cref="InvalidOperationException">The payment is not <c>PENDING</c>.</exception>
    public SimulatedPayment CancelPayment(string orderIdOrMerchantOrderId)
    {
        ArgumentNullException.ThrowIfNull(orderIdOrMerchantOrderId);
        return _lifecycle.Cancel(orderIdOrMerchantOrderId);
    }

    /// <summary>Lets a pending payment time out: it becomes <c>CANCELLED</c> (the gateway reports a timeout that way). No callback is sent.</summary>
    /// <param name="orderIdOrMerchantOrderId">The payment, by either id.</param>
    /// <returns>The cancelled payment.</returns>
    /// <exception cref="KeyNotFoundException">There is no such payment.</exception>
    /// <exception cref="InvalidOperationException">The payment is not <c>PENDING</c>.</exception>
    public SimulatedPayment TimeOutPayment(string orderIdOrMerchantOrderId) => CancelPayment(orderIdOrMerchantOrderId);

    /// <summary>
    /// Waits until a payment has <paramref name="status"/>: handy with <see cref="AlipayHkGatewaySimulatorOptions.AutoPayAfter"/>
    /// and <see cref="AlipayHkGatewaySimulatorOptions.PaymentTimeout"/>, which change payments in the background.
    /// </summary>
    /// <param name="orderIdOrMerchantOrderId">The payment, by either id. It may not exist yet: the wait covers its creation.</param>
    /// <param name="status">The status to wait for.</param>
    /// <param name="cancellationToken">Stops the wait; pass a timeout so a test cannot hang.</param>
    /// <returns>The payment, once it has that status.</returns>
    /// <exception cref="ObjectDisposedException">The simulator was disposed first.</exception>
    public Task<SimulatedPayment> WaitForPaymentStatusAsync(string orderIdOrMerchantOrderId, PaymentStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orderIdOrMerchantOrderId);
        return _state.Payments.WaitAsync(orderIdOrMerchantOrderId, status, cancellationToken);
    }
}
