using Refit;

namespace AlipayHk.Pay.Http;

/// <summary>The gateway's token endpoint. Its client has no bearer handler and no request logging: the secret is in the query.</summary>
internal interface IAlipayHkAuthApi
{
    /// <param name="uid">The merchant number.</param>
    /// <param name="clientSecret">The client secret (in the query string, as the gateway publishes it).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <remarks>Retryable: asking for a token twice is harmless.</remarks>
    [Get(GatewayRoutes.Token + "?grant_type=client_credentials")]
    [GatewayRetry(mayRetry: true)]
    Task<IApiResponse<AccessTokenResponse>> GetAccessTokenAsync(
        [AliasAs("uid")] string uid,
        [AliasAs("client_secret")] string clientSecret,
        CancellationToken cancellationToken);
}
