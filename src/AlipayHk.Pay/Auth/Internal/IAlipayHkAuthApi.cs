using AlipayHk.Pay.Pipeline;
using Refit;

namespace AlipayHk.Pay.Auth;

/// <summary>The gateway's token endpoint. Its client has no bearer handler and no request logging: the secret is in the query.</summary>
internal interface IAlipayHkAuthApi
{
    /// <param name="uid">The merchant number.</param>
    /// <param name="clientSecret">The client secret (in the query string, as the gateway publishes it).</param>
    /// <param name="retry">Always <see cref="GatewayRetry.OnTransientFailure"/>: asking for a token twice is harmless.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/mch-api/v1/auth?grant_type=client_credentials")]
    Task<IApiResponse<AccessTokenResponse>> GetAccessTokenAsync(
        [AliasAs("uid")] string uid,
        [AliasAs("client_secret")] string clientSecret,
        [Property(GatewayRetry.Key)] GatewayRetry retry,
        CancellationToken cancellationToken);
}
