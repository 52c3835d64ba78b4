namespace AlipayHk.Pay.Http;

/// <summary>The gateway's paths, as published. The only place they are written.</summary>
internal static class GatewayRoutes
{
    internal const string Token = "/mch-api/v1/auth";
    internal const string CreatePaymentIntent = "/mch-api/v1/pa/payment_intents/create";
    internal const string QueryPaymentIntent = "/mch-api/v1/pa/payment_intents/query";

    /// <summary>Whether a request creates an order, and so must never be re-sent blindly.</summary>
    internal static bool IsCreate(HttpRequestMessage? request) =>
        request?.RequestUri is { } uri
        && request.Method == HttpMethod.Post
        && uri.AbsolutePath.EndsWith(CreatePaymentIntent, StringComparison.Ordinal);

    /// <summary>Whether a request is the token request, which carries the client secret and no bearer token.</summary>
    internal static bool IsToken(HttpRequestMessage? request) =>
        request?.RequestUri is { } uri && uri.AbsolutePath.EndsWith(Token, StringComparison.Ordinal);
}
