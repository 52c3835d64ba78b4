namespace AlipayHk.Pay;

/// <summary>
/// Fetches a new access token. The SDK caches what it returns, shares one fetch among concurrent callers and
/// asks again shortly before <see cref="AlipayHkPayAccessToken.ExpiresAt"/>, or when the gateway answers 401.
/// </summary>
/// <remarks>
/// The default source calls the gateway's token endpoint with <c>Uid</c> and <c>ClientSecret</c>. Register
/// your own implementation (for example, one that reads tokens from a shared token service) with
/// <c>services.AddSingleton&lt;IAlipayHkPayTokenSource, MySource&gt;()</c>, before or after <c>AddAlipayHkPay</c>.
/// </remarks>
public interface IAlipayHkPayTokenSource
{
    /// <summary>Fetches a fresh token.</summary>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    /// <returns>The token and when it expires.</returns>
    /// <exception cref="AlipayHkPayAuthenticationException">No token could be obtained.</exception>
    ValueTask<AlipayHkPayAccessToken> FetchTokenAsync(CancellationToken cancellationToken);
}
