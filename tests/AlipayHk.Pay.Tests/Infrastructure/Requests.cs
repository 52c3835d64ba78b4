namespace AlipayHk.Pay.Tests.Infrastructure;

internal static class Requests
{
    public static CreatePaymentRequest Valid(string merchantOrderId = "P9297895081903") => new()
    {
        Amount = 1m,
        MerchantOrderId = merchantOrderId,
        Description = "Instore Payment",
        NotifyUrl = new Uri("https://put_your_site_here/example_url"),
        Wallet = AlipayHkWallet.AlipayCn,
    };
}
