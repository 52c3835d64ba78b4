using AlipayHk.Pay.Testing.Gateway.Internal;
using AlipayHk.Pay.Testing.Merchants.Internal;
using Microsoft.AspNetCore.Http;

namespace AlipayHk.Pay.Testing.Auth.Internal;

/// <summary>
/// <c>GET /mch-api/v1/auth?grant_type=client_credentials&amp;uid=…&amp;client_secret=…</c>: a bare token answer (no
/// envelope), and the bearer check of every other gateway call.
/// </summary>
internal static class AuthEndpoint
{
    private const string Redacted = "REDACTED";

    public static Reply Token(HttpRequest request, MerchantDirectory merchants, TokenStore tokens)
    {
        if (!HttpMethods.IsGet(request.Method))
        {
            return Reply.MethodNotAllowed("GET");
        }

        if (request.Query["grant_type"] != "client_credentials")
        {
            return Reply.Json(
                StatusCodes.Status400BadRequest,
                GatewayJson.Envelope(GatewayCodes.InvalidParameter, "grant_type must be client_credentials", GatewayJson.NewRequestId()));
        }

        MerchantAccount? merchant = merchants.ByUid(request.Query["uid"]);
        if (merchant is null || request.Query["client_secret"] != merchant.ClientSecret)
        {
            return Reply.Unauthorized(GatewayCodes.InvalidCredentials, "invalid uid or client_secret");
        }

        string token = tokens.Issue(merchant);
        long expiresIn = (long)tokens.Lifetime.TotalSeconds;
        return Reply.Json(StatusCodes.Status200OK, GatewayJson.Token(token, expiresIn)) with { JournalBody = GatewayJson.Token(Redacted, expiresIn) };
    }

    /// <summary>
    /// The method check, and the bearer check that tells whose request it is: the merchant, or the answer that
    /// refuses the request.
    /// </summary>
    public static (MerchantAccount? Merchant, Reply? Refused) Authenticate(HttpRequest request, TokenStore tokens)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return (null, Reply.MethodNotAllowed("POST"));
        }

        string authorization = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        MerchantAccount? merchant = authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            ? tokens.Validate(authorization[Bearer.Length..].Trim())
            : null;
        return merchant is null ? (null, Reply.Unauthorized(GatewayCodes.InvalidToken, "invalid or expired access token")) : (merchant, null);
    }
}
