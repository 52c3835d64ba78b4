namespace AlipayHk.Pay;

/// <summary>The Alipay wallet the shopper pays with.</summary>
public enum AlipayHkWallet
{
    /// <summary>The mainland China Alipay wallet (<c>ALIPAYCN</c>).</summary>
    AlipayCn = 0,

    /// <summary>The Hong Kong AlipayHK wallet (<c>ALIPAYHK</c>).</summary>
    AlipayHk = 1,
}
