namespace AlipayHk.Pay.EntityFrameworkCore;

/// <summary>The lengths of the payment table's text columns: the model's, and the store's, which fits values to them.</summary>
internal static class PaymentColumns
{
    /// <summary>A merchant's name, as registered with <c>AddAlipayHkPay</c>.</summary>
    internal const int MerchantLength = 64;

    /// <summary>The SDK refuses a merchant order id longer than 32 characters.</summary>
    internal const int MerchantOrderIdLength = 32;

    /// <summary>The gateway's order id (22 characters in its examples; room to spare, as its format is the gateway's).</summary>
    internal const int OrderIdLength = 64;

    /// <summary>What the shopper pays for: longer descriptions are cut to this in the store (the gateway has the whole).</summary>
    internal const int DescriptionLength = 256;

    /// <summary>The QR code's URL.</summary>
    internal const int QrCodeUrlLength = 2048;

    /// <summary>The gateway's status text (<c>PENDING</c>, <c>SUCCEEDED</c>, ...).</summary>
    internal const int RawStatusLength = 32;

    /// <summary>An enum's name (the longest is <c>Reconciliation</c>).</summary>
    internal const int EnumLength = 16;
}
