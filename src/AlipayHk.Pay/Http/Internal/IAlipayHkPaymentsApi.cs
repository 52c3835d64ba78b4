using Refit;

namespace AlipayHk.Pay.Http;

/// <summary>
/// The gateway's payment intent endpoints; every call carries a bearer token. They return the raw response, which
/// <see cref="GatewayResponse.ReceiveAsync"/> reads with the source-generated context: Refit's <c>IApiResponse</c>
/// wrapper and its deserialization path cost about 0.4 KB and 0.4 µs per call (docs/benchmarks.md).
/// Every method declares whether it may be retried (<see cref="GatewayRetryAttribute"/>); a convention test checks it.
/// </summary>
internal interface IAlipayHkPaymentsApi
{
    /// <param name="body">The create.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <remarks>Never retried: a create is never re-sent blindly (an interrupted one is recovered by query).</remarks>
    [Post(GatewayRoutes.CreatePaymentIntent)]
    [GatewayRetry(mayRetry: false)]
    Task<HttpResponseMessage> CreatePaymentIntentAsync(
        [Body] CreatePaymentIntentBody body,
        CancellationToken cancellationToken);

    /// <param name="body">The query.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <remarks>Retryable: a query changes nothing.</remarks>
    [Post(GatewayRoutes.QueryPaymentIntent)]
    [GatewayRetry(mayRetry: true)]
    Task<HttpResponseMessage> QueryPaymentIntentAsync(
        [Body] QueryPaymentIntentBody body,
        CancellationToken cancellationToken);
}
