using AlipayHk.Pay.Auth;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AlipayHk.Pay.Health;

/// <summary>Healthy when the merchant's token cache has, or can fetch, an access token. Reports why not, never the token or secret.</summary>
internal sealed class AlipayHkPayHealthCheck(AccessTokenCache? tokens, string notRegistered) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (tokens is null)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, notRegistered);
        }

        try
        {
            AlipayHkPayAccessToken token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy(
                "An access token is available.",
                new Dictionary<string, object> { ["expiresAt"] = token.ExpiresAt });
        }
        catch (AlipayHkPayException ex)
        {
            var data = new Dictionary<string, object>();
            if (ex.RequestId is { } rid)
            {
                data["rid"] = rid;
            }

            if (ex.StatusCode is { } status)
            {
                data["statusCode"] = (int)status;
            }

            // The SDK's message only (it never carries a secret); not the exception, whose inner ones are the transport's.
            return new HealthCheckResult(context.Registration.FailureStatus, $"No access token: {ex.Message}", exception: null, data);
        }
    }
}
