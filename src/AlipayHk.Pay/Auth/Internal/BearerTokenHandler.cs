using System.Net;
using System.Net.Http.Headers;

namespace AlipayHk.Pay.Auth;

/// <summary>
/// Adds <c>Authorization: Bearer</c> to every payments call. When the gateway answers 401, drops that token,
/// fetches a new one and replays the request once.
/// </summary>
internal sealed class BearerTokenHandler(AccessTokenCache tokens) : DelegatingHandler
{
    /// <summary>The header for the token in use, built once per token rather than once per request.</summary>
    private BearerHeader? _header;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        AlipayHkPayAccessToken token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = HeaderFor(token);
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        tokens.Invalidate(token);
        token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = HeaderFor(token);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private AuthenticationHeaderValue HeaderFor(AlipayHkPayAccessToken token)
    {
        BearerHeader? header = Volatile.Read(ref _header);
        if (header is null || !ReferenceEquals(header.Token, token))
        {
            header = new BearerHeader(token, new AuthenticationHeaderValue("Bearer", token.Value));
            Volatile.Write(ref _header, header);
        }

        return header.Value;
    }

    /// <summary>A token and its header value; <see cref="AuthenticationHeaderValue"/> is immutable, so requests share it.</summary>
    private sealed record BearerHeader(AlipayHkPayAccessToken Token, AuthenticationHeaderValue Value)
    {
        public override string ToString() => "Bearer [redacted]";
    }
}
