namespace AlipayHk.Pay.Http;

/// <summary>
/// The gateway's paths, as published. The only place they are written. Nothing decides anything from a URL: whether a
/// request may be retried is declared with the request (<see cref="GatewayRetry"/>).
/// </summary>
internal static class GatewayRoutes
{
    internal const string Token = "/mch-api/v1/auth";
    internal const string CreatePaymentIntent = "/mch-api/v1/pa/payment_intents/create";
    internal const string QueryPaymentIntent = "/mch-api/v1/pa/payment_intents/query";
}
