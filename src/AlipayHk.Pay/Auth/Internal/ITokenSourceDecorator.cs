namespace AlipayHk.Pay.Auth;

/// <summary>
/// Lets another package of the SDK put something in front of a merchant's token source: the Redis package shares one
/// token per merchant among all instances of the app. Internal: a seam between packages versioned together, not an
/// extension point for apps (those register their own <see cref="IAlipayHkPayTokenSource"/>).
/// </summary>
internal interface ITokenSourceDecorator
{
    /// <summary>The source that the merchant's token cache is to use.</summary>
    /// <param name="merchantKey">The merchant's key: <c>""</c> for the default merchant.</param>
    /// <param name="source">The merchant's own source: the SDK's gateway source, or the app's.</param>
    /// <param name="isGatewaySource">Whether <paramref name="source"/> is the SDK's own (it calls the gateway's token endpoint).</param>
    IAlipayHkPayTokenSource Decorate(string merchantKey, IAlipayHkPayTokenSource source, bool isGatewaySource);
}
