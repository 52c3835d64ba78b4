using AlipayHk.Pay.Testing.Payments.Internal;

namespace AlipayHk.Pay.Testing;

// The callbacks: every attempt, "deliver now", waits, and where they go (a socket, or an app's TestServer).
public sealed partial class AlipayHkGatewaySimulator
{
    /// <summary>Every callback attempt so far, oldest first: a snapshot.</summary>
    public IReadOnlyList<CallbackDelivery> CallbackDeliveries => _callbacks.Snapshot();

    /// <summary>
    /// Sends a paid payment's callback now, and returns once that notification was answered (or failed). A retry still
    /// waiting for its time goes at once, and the schedule goes on from it; once the schedule is over (a notification
    /// was accepted, or the last one failed), one more notification is sent, with no retry of its own: as when a
    /// merchant asks the gateway to notify again.
    /// </summary>
    /// <param name="orderIdOrMerchantOrderId">The payment, by either id.</param>
    /// <param name="cancellationToken">Stops waiting for the answer; the notification is still sent.</param>
    /// <returns>The notification sent.</returns>
    /// <exception cref="KeyNotFoundException">There is no such payment.</exception>
    /// <exception cref="InvalidOperationException">The payment is not <c>SUCCEEDED</c>, or its create named no <c>notify_url</c>.</exception>
    public async Task<CallbackDelivery> RedeliverCallbackAsync(string orderIdOrMerchantOrderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orderIdOrMerchantOrderId);
        ThrowIfDisposed();
        (PaymentRecord record, _) = _state.Payments.Get(orderIdOrMerchantOrderId);
        if (record.Status != PaymentStatus.Succeeded || record.NotifyUrl is null)
        {
            throw new InvalidOperationException(record.NotifyUrl is null
                ? $"Payment {record.OrderId} (merchant order {record.MerchantOrderId}) has no notify_url: there is no callback to send."
                : $"Payment {record.OrderId} (merchant order {record.MerchantOrderId}) is {PaymentStore.Wire(record.Status)}: only a SUCCEEDED payment is notified.");
        }

        // Paid but not yet notified happens only for an instant (the first attempt starts with the payment); start it then.
        int attempt = await _callbacks.RedeliverAsync(record.OrderId).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Payment {record.OrderId} has not been notified yet.");
        string orderId = record.OrderId;
        return await _callbacks.WaitAsync(
            deliveries => deliveries.FirstOrDefault(d => d.Attempt == attempt && d.OrderId == orderId),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until notification number <paramref name="attempt"/> for a payment has been sent and answered (or has failed).</summary>
    /// <param name="orderIdOrMerchantOrderId">The payment, by either id.</param>
    /// <param name="attempt">Which notification: 1 for the first.</param>
    /// <param name="cancellationToken">Stops the wait; pass a timeout so a test cannot hang.</param>
    /// <returns>That delivery.</returns>
    /// <exception cref="ObjectDisposedException">The simulator was disposed before it happened.</exception>
    public Task<CallbackDelivery> WaitForCallbackAsync(string orderIdOrMerchantOrderId, int attempt = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orderIdOrMerchantOrderId);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        return _callbacks.WaitAsync(
            deliveries => deliveries.FirstOrDefault(d => d.Attempt == attempt && IsFor(d, orderIdOrMerchantOrderId)),
            cancellationToken);
    }

    /// <summary>
    /// Waits until a payment's callbacks are over: one was accepted (HTTP 200 in time), or the last of the schedule failed.
    /// </summary>
    /// <param name="orderIdOrMerchantOrderId">The payment, by either id.</param>
    /// <param name="cancellationToken">Stops the wait; pass a timeout so a test cannot hang.</param>
    /// <returns>The last delivery: check <see cref="CallbackDelivery.Accepted"/> and <see cref="CallbackDelivery.Attempt"/>.</returns>
    /// <exception cref="ObjectDisposedException">The simulator was disposed before it happened.</exception>
    public Task<CallbackDelivery> WaitForCallbacksSettledAsync(string orderIdOrMerchantOrderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orderIdOrMerchantOrderId);
        return _callbacks.WaitAsync(
            deliveries => deliveries.FirstOrDefault(d => d.NextAttemptAt is null && IsFor(d, orderIdOrMerchantOrderId)),
            cancellationToken);
    }

    /// <summary>
    /// Delivers callbacks into an in-memory app from now on, instead of over a socket: pass the handler of the app's
    /// ASP.NET Core <c>TestServer</c> (<c>app.GetTestServer().CreateHandler()</c>, or <c>factory.Server.CreateHandler()</c>
    /// for a <c>WebApplicationFactory</c>). Call it once the app is built: the app needs the simulator's address first
    /// (<see cref="ConfigureClient(AlipayHkPayOptions)"/>), and its test server exists only afterwards.
    /// </summary>
    /// <remarks>
    /// Each callback is posted to the payment's <c>notify_url</c> through the handler: the test server routes by the
    /// URL's path (its host does not matter), so give the create a <c>NotifyUrl</c> such as
    /// <c>http://localhost/payments/alipayhk/notify</c> whose path is the one mapped with <c>MapAlipayHkPayWebhook</c>.
    /// Retries still pending are sent through the new handler too. The simulator does not dispose it. When a callback is
    /// not accepted, <see cref="CallbackDelivery.EnsureAccepted"/> says why.
    /// </remarks>
    /// <param name="handler">The in-memory handler.</param>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The simulator was disposed.</exception>
    public void DeliverCallbacksTo(HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfDisposed();
        _callbackTransport.Use(handler);
    }

    private static bool IsFor(CallbackDelivery delivery, string id) =>
        string.Equals(delivery.OrderId, id, StringComparison.Ordinal) || string.Equals(delivery.MerchantOrderId, id, StringComparison.Ordinal);
}
