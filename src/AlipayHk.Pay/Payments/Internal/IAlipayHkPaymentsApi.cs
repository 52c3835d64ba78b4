using AlipayHk.Pay.Pipeline;
using Refit;

namespace AlipayHk.Pay.Payments;

/// <summary>
/// The gateway's payment intent endpoints, as published; every call carries a bearer token. Each method takes its
/// operation's retry declaration as a request property (a convention test checks every method). Answers are read by
/// <see cref="GatewayResponse"/> (docs/architecture.md says why a raw response).
/// </summary>
internal interface IAlipayHkPaymentsApi
{
    [Post("/mch-api/v1/pa/payment_intents/create")]
    Task<HttpResponseMessage> CreateAsync([Body] CreatePaymentIntentBody body, [Property(GatewayRetry.Key)] GatewayRetry retry, CancellationToken cancellationToken);

    [Post("/mch-api/v1/pa/payment_intents/query")]
    Task<HttpResponseMessage> QueryAsync([Body] QueryPaymentIntentBody body, [Property(GatewayRetry.Key)] GatewayRetry retry, CancellationToken cancellationToken);
}
