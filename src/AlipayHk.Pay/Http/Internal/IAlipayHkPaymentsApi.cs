using Refit;

namespace AlipayHk.Pay.Http;

/// <summary>
/// The gateway's payment intent endpoints; every call carries a bearer token. They return the raw response, which
/// <see cref="GatewayResponse.ReceiveAsync"/> reads with the source-generated context: Refit's <c>IApiResponse</c>
/// wrapper and its deserialization path cost about 0.4 KB and 0.4 µs per call (docs/benchmarks.md).
/// Every method declares whether it may be retried (<see cref="GatewayRetry"/>); a convention test checks it.
/// </summary>
internal interface IAlipayHkPaymentsApi
{
    /// <param name="body">The create.</param>
    /// <param name="retry">Always <see cref="GatewayRetry.Never"/>: a create is never re-sent blindly.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post(GatewayRoutes.CreatePaymentIntent)]
    Task<HttpResponseMessage> CreatePaymentIntentAsync(
        [Body] CreatePaymentIntentBody body,
        [Property(GatewayRetry.Key)] GatewayRetry retry,
        CancellationToken cancellationToken);

    /// <param name="body">The query.</param>
    /// <param name="retry">Always <see cref="GatewayRetry.Retryable"/>: a query changes nothing.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post(GatewayRoutes.QueryPaymentIntent)]
    Task<HttpResponseMessage> QueryPaymentIntentAsync(
        [Body] QueryPaymentIntentBody body,
        [Property(GatewayRetry.Key)] GatewayRetry retry,
        CancellationToken cancellationToken);
}
