namespace AlipayHk.Pay;

/// <summary>
/// Puts something in front of each merchant's token source, for example one token per merchant shared by every
/// instance of the app (<c>AlipayHk.Pay.StackExchangeRedis</c> registers one). Register it as a singleton, before or
/// after <c>AddAlipayHkPay</c>; the SDK calls it once per merchant, when that merchant's token cache is built.
/// </summary>
public interface IAlipayHkPayTokenSourceDecorator
{
    /// <summary>The source that the merchant's token cache is to use.</summary>
    /// <param name="merchantName">The merchant's name, or <see langword="null"/> for the default merchant.</param>
    /// <param name="source">The merchant's own source: the SDK's gateway source, or one the app registered.</param>
    /// <param name="isGatewaySource">Whether <paramref name="source"/> is the SDK's own (it calls the gateway's token endpoint).</param>
    /// <returns><paramref name="source"/>, or a source that wraps it.</returns>
    IAlipayHkPayTokenSource Decorate(string? merchantName, IAlipayHkPayTokenSource source, bool isGatewaySource);
}
