using System.Globalization;
using AlipayHk.Pay;

namespace FrameworkPos;

/// <summary>
/// A counter's payment on .NET Framework, without a container: one <see cref="AlipayHkPay"/> for the app's lifetime,
/// then create, show the QR code's URL, wait for the shopper, print the receipt. The settings come from the
/// <c>AlipayHkPay__*</c> environment variables the simulator prints (or those of your gateway account).
/// Exit codes: 0 paid, 2 not paid (cancelled, expired, or no answer in time), 1 an error.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        decimal amount = args.Length > 0 ? decimal.Parse(args[0], CultureInfo.InvariantCulture) : 38.00m;
        AlipayHkPayOptions options;
        try
        {
            options = new AlipayHkPayOptions
            {
                BaseAddress = new Uri(Setting("BaseAddress")),
                Uid = Setting("Uid"),
                ClientSecret = Setting("ClientSecret"),
            };
        }
        catch (InvalidOperationException missing)
        {
            Console.Error.WriteLine(missing.Message);
            return 1;
        }

        // One per app (a static field in a WinForms app): it keeps the access token and the connections.
        using var pay = AlipayHkPay.Create(options);
        try
        {
            return await SellAsync(pay.Client, amount).ConfigureAwait(false);
        }
        catch (AlipayHkPayException failure)
        {
            Console.Error.WriteLine($"Payment failed: {failure.Message}");
            return 1;
        }
    }

    private static async Task<int> SellAsync(IAlipayHkPayClient alipay, decimal amount)
    {
        // 1. Create the payment: a new merchant order id for each sale.
        PaymentIntent payment = await alipay.CreatePaymentAsync(new CreatePaymentRequest
        {
            Amount = amount,
            MerchantOrderId = $"POS-{DateTime.UtcNow:yyyyMMddHHmmss}-{new Random().Next(10_000):D4}",
            Description = "Counter sale",
            Wallet = AlipayHkWallet.AlipayHk,
            NotifyUrl = new Uri(Environment.GetEnvironmentVariable("POS_NOTIFY_URL") ?? "https://shop.example.com/payments/alipayhk/notify"),
        }).ConfigureAwait(false);

        // 2. Show the QR code's URL (a real counter draws it on the customer display).
        Console.WriteLine($"Order: {payment.MerchantOrderId}");
        Console.WriteLine($"Scan to pay: {payment.NextAction?.Url}");

        // 3. Wait for the shopper.
        PaymentIntent outcome = await alipay.WaitForCompletionAsync(
            PaymentReference.ByMerchantOrderId(payment.MerchantOrderId), TimeSpan.FromMinutes(2)).ConfigureAwait(false);

        // 4. The receipt.
        Console.WriteLine("------------- RECEIPT -------------");
        Console.WriteLine($"Order     {outcome.MerchantOrderId}");
        Console.WriteLine($"Alipay    {outcome.OrderId}");
        Console.WriteLine($"Amount    {outcome.Amount.ToString("0.00", CultureInfo.InvariantCulture)} {outcome.Currency}");
        Console.WriteLine($"Status    {(outcome.Status == PaymentStatus.Succeeded ? "PAID" : "NOT PAID (" + outcome.RawStatus + ")")}");
        if (outcome.PayTime is { } paid)
        {
            Console.WriteLine($"Paid at   {paid.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)}");
        }

        Console.WriteLine("-----------------------------------");
        return outcome.Status == PaymentStatus.Succeeded ? 0 : 2;
    }

    private static string Setting(string name) =>
        Environment.GetEnvironmentVariable("AlipayHkPay__" + name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"Set AlipayHkPay__{name} (the simulator prints the AlipayHkPay__* variables when it starts).");
}
