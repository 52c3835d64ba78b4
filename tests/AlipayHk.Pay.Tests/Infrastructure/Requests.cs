namespace AlipayHk.Pay.Tests.Infrastructure;

internal static class Requests
{
    public static CreatePaymentRequest Valid(string merchantOrderId = "P9297895081903") => With(merchantOrderId: merchantOrderId);

    /// <summary>The published example request, with the given fields changed.</summary>
    public static CreatePaymentRequest With(
        decimal amount = 1m,
        string merchantOrderId = "P9297895081903",
        string description = "Instore Payment",
        Uri? notifyUrl = null,
        AlipayHkWallet wallet = AlipayHkWallet.AlipayCn) => new()
    {
        Amount = amount,
        MerchantOrderId = merchantOrderId,
        Description = description,
        NotifyUrl = notifyUrl ?? new Uri("https://put_your_site_here/example_url"),
        Wallet = wallet,
    };
}
