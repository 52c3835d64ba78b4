using Refit;

namespace AlipayHk.Pay.Http;

/// <summary>The gateway's payment intent endpoints; every call carries a bearer token.</summary>
internal interface IAlipayHkPaymentsApi
{
    [Post(GatewayRoutes.CreatePaymentIntent)]
    Task<IApiResponse<GatewayEnvelope<PaymentIntentData>>> CreatePaymentIntentAsync(
        [Body] CreatePaymentIntentBody body,
        CancellationToken cancellationToken);

    [Post(GatewayRoutes.QueryPaymentIntent)]
    Task<IApiResponse<GatewayEnvelope<PaymentIntentData>>> QueryPaymentIntentAsync(
        [Body] QueryPaymentIntentBody body,
        CancellationToken cancellationToken);
}
