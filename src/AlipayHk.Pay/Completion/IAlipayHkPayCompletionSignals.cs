namespace AlipayHk.Pay;

/// <summary>
/// Carries "this payment is final now" from where it is learned (the webhook processor, when the gateway confirms a
/// callback's payment as succeeded or cancelled) to every <see cref="IAlipayHkPayClient.WaitForCompletionAsync"/> on
/// that payment, so that a wait returns at once instead of at its next query. Polling stays the backstop: a signal
/// that never comes only means the wait learns the outcome by querying.
/// </summary>
/// <remarks>
/// <para>One instance serves every merchant of the app; each call names the merchant (<see langword="null"/> for the
/// default one), so two merchants' orders never wake each other's waits.</para>
/// <para>The default, <see cref="InProcessCompletionSignals"/>, reaches the waits of this process and needs nothing
/// configured. To reach waits on other instances of the app, register another implementation (the
/// <c>AlipayHk.Pay.StackExchangeRedis</c> package does, over Redis pub/sub) before or after <c>AddAlipayHkPay</c>:
/// the SDK only adds the default when none is registered.</para>
/// <para>Implementations must be safe to call from many threads, should not throw from
/// <see cref="PublishAsync"/> (the SDK logs and carries on when one does), and must call the subscribers'
/// callbacks quickly and without blocking.</para>
/// </remarks>
public interface IAlipayHkPayCompletionSignals
{
    /// <summary>Announces that <paramref name="payment"/> is final (<see cref="PaymentIntent.IsFinal"/>), as the gateway confirmed it.</summary>
    /// <param name="merchantName">The merchant the payment belongs to, or <see langword="null"/> for the default merchant.</param>
    /// <param name="payment">The payment as the gateway reported it: succeeded or cancelled.</param>
    /// <param name="cancellationToken">Cancels the announcement.</param>
    /// <returns>A task that completes when the announcement is sent (the waits may be woken later).</returns>
    ValueTask PublishAsync(string? merchantName, PaymentIntent payment, CancellationToken cancellationToken);

    /// <summary>
    /// Listens for the final outcome of one payment until the returned subscription is disposed.
    /// <paramref name="completed"/> is called at most once per announcement, on any thread.
    /// </summary>
    /// <param name="merchantName">The merchant the payment belongs to, or <see langword="null"/> for the default merchant.</param>
    /// <param name="reference">The payment, by order id or merchant order id.</param>
    /// <param name="completed">Called with the final payment.</param>
    /// <returns>The subscription: dispose it to stop listening.</returns>
    IDisposable Subscribe(string? merchantName, PaymentReference reference, Action<PaymentIntent> completed);
}
