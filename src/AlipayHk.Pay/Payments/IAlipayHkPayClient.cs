namespace AlipayHk.Pay;

/// <summary>
/// Creates and looks up Alipay HK in-store QR payments. Register it with
/// <c>services.AddAlipayHkPay(...)</c> and inject it; it is safe to use from many threads at once.
/// </summary>
/// <remarks>
/// Every method fails with an <see cref="AlipayHkPayException"/> (or a subtype) when the gateway cannot be
/// reached or refuses, and with an <see cref="ArgumentException"/> naming the field when the input is invalid,
/// in which case nothing is sent.
/// </remarks>
public interface IAlipayHkPayClient
{
    /// <summary>
    /// Creates a payment intent. Show <see cref="PaymentIntent.NextAction"/>'s <see cref="PaymentNextAction.Url"/>
    /// as a QR code for the shopper to scan.
    /// </summary>
    /// <remarks>
    /// A create is never re-sent blindly. If it is interrupted (timeout, reset connection, HTTP 5xx), the client
    /// first asks the gateway for <see cref="CreatePaymentRequest.MerchantOrderId"/>: it returns that order when
    /// the gateway has it, re-sends the create once when it does not, and throws
    /// <see cref="AlipayHkPayOutcomeUnknownException"/> when it cannot tell.
    /// </remarks>
    /// <param name="request">What to charge.</param>
    /// <param name="cancellationToken">Cancels the call. A create cancelled in flight may still reach the gateway: look it up by merchant order id.</param>
    /// <returns>The new payment intent, normally <see cref="PaymentStatus.Pending"/>.</returns>
    /// <exception cref="ArgumentException">A field of <paramref name="request"/> is invalid; the exception names it.</exception>
    /// <exception cref="AlipayHkPayApiException">The gateway refused the order.</exception>
    /// <exception cref="AlipayHkPayOutcomeUnknownException">The create was interrupted and whether the order exists cannot be known.</exception>
    /// <exception cref="AlipayHkPayAuthenticationException">No access token could be obtained.</exception>
    /// <exception cref="AlipayHkPayException">Any other gateway failure.</exception>
    Task<PaymentIntent> CreatePaymentAsync(CreatePaymentRequest request, CancellationToken cancellationToken = default);

    /// <summary>Looks a payment up, by the gateway's order id or by your merchant order id.</summary>
    /// <param name="reference">Which payment: <see cref="PaymentReference.ByOrderId"/> or <see cref="PaymentReference.ByMerchantOrderId"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The payment as the gateway knows it now.</returns>
    /// <exception cref="AlipayHkPayApiException">The gateway refused the query, for example because it has no such order.</exception>
    /// <exception cref="AlipayHkPayAuthenticationException">No access token could be obtained.</exception>
    /// <exception cref="AlipayHkPayException">Any other gateway failure.</exception>
    Task<PaymentIntent> GetPaymentAsync(PaymentReference reference, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits until a payment is <see cref="PaymentStatus.Succeeded"/> or <see cref="PaymentStatus.Cancelled"/>, or until
    /// <paramref name="timeout"/> has passed: the confirmed webhook ends it at once, and queries with pauses between them
    /// are the backstop.
    /// </summary>
    /// <remarks>
    /// <para>It returns at once when this app's webhook endpoint confirms the payment final (through
    /// <see cref="IAlipayHkPayCompletionSignals"/>; across instances with <c>AlipayHk.Pay.StackExchangeRedis</c>), so
    /// queries are the backstop for a webhook that never comes. With <see cref="AlipayHkPayOptions.WebhookBackstopDelay"/>
    /// set, it queries only every that long, starting after the first pause, so a wait its webhook ends makes no
    /// query; otherwise it queries at once, then every <see cref="AlipayHkPayOptions.PollInitialDelay"/> growing to
    /// <see cref="AlipayHkPayOptions.PollMaxDelay"/>.</para>
    /// <para>A query that fails transiently does not end the wait; the next one is tried.</para>
    /// </remarks>
    /// <param name="reference">Which payment.</param>
    /// <param name="timeout">How long to wait in all; positive.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The final intent, or, on timeout, the last intent seen (check <see cref="PaymentIntent.IsFinal"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive.</exception>
    /// <exception cref="AlipayHkPayApiException">The gateway refused the query, for example because it has no such order.</exception>
    /// <exception cref="AlipayHkPayException">The timeout passed before any query succeeded; the last failure is inside.</exception>
    Task<PaymentIntent> WaitForCompletionAsync(PaymentReference reference, TimeSpan timeout, CancellationToken cancellationToken = default);
}
