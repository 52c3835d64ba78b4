using System.Net;
using AlipayHk.Pay.Pipeline;
using Refit;

namespace AlipayHk.Pay.Auth;

/// <summary>The default token source: <c>GET /mch-api/v1/auth?grant_type=client_credentials&amp;uid=…&amp;client_secret=…</c>.</summary>
internal sealed class GatewayTokenSource(
    IAlipayHkAuthApi api,
    Merchant merchant,
    TimeProvider timeProvider) : IAlipayHkPayTokenSource
{
    /// <summary>The lifetime the gateway documents, used when a response names none.</summary>
    internal static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(3600);

    public async ValueTask<AlipayHkPayAccessToken> FetchTokenAsync(CancellationToken cancellationToken)
    {
        AlipayHkPayOptions settings = merchant.Options;
        string uid = settings.Uid ?? throw new AlipayHkPayAuthenticationException("AlipayHkPay:Uid is not set.", null, null);
        string secret = settings.ClientSecret ?? throw new AlipayHkPayAuthenticationException("AlipayHkPay:ClientSecret is not set.", null, null);

        IApiResponse<AccessTokenResponse> response;
        try
        {
            response = await api.GetAccessTokenAsync(uid, secret, GatewayRetry.OnTransientFailure, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Failed(GatewayResponse.Transport(ex, "the token request"));
        }

        using (response)
        {
            if (response.HasRequestError(out ApiRequestException? requestError))
            {
                throw Failed(GatewayResponse.Transport(requestError, "the token request"));
            }

            HttpStatusCode status = response.StatusCode ?? default;
            AccessTokenResponse? body = response.Content ?? GatewayResponse.TryRead((response.Error as ApiException)?.Content, AuthJsonContext.Default.AccessTokenResponse);
            if (!response.IsSuccessStatusCode || body?.AccessToken is not { Length: > 0 } accessToken)
            {
                // Refit's error object is deliberately not kept: it holds the request URI, with the secret in it.
                string reason = body?.Message is { Length: > 0 } message
                    ? $"the gateway said: {message}"
                    : response.IsSuccessStatusCode ? "the response had no access_token" : $"HTTP {(int)status} ({status})";
                throw new AlipayHkPayAuthenticationException(
                    $"No access token for uid '{uid}': {reason}. Check AlipayHkPay:Uid and AlipayHkPay:ClientSecret.",
                    body?.Rid,
                    status);
            }

            TimeSpan lifetime = body.ExpiresIn is > 0 and <= int.MaxValue ? TimeSpan.FromSeconds(body.ExpiresIn.Value) : DefaultLifetime;
            return new AlipayHkPayAccessToken(accessToken, timeProvider.GetUtcNow() + lifetime);
        }
    }

    private static AlipayHkPayAuthenticationException Failed(AlipayHkPayException transport) =>
        new($"No access token: {transport.Message}", null, null, transport.InnerException);
}
