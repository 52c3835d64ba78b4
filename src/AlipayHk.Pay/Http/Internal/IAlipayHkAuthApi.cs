using Refit;

namespace AlipayHk.Pay.Http;

/// <summary>The gateway's token endpoint. Its client has no bearer handler and no request logging: the secret is in the query.</summary>
internal interface IAlipayHkAuthApi
{
    [Get(GatewayRoutes.Token + "?grant_type=client_credentials")]
    Task<IApiResponse<AccessTokenResponse>> GetAccessTokenAsync(
        [AliasAs("uid")] string uid,
        [AliasAs("client_secret")] string clientSecret,
        CancellationToken cancellationToken);
}
