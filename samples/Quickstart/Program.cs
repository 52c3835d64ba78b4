using AlipayHk.Pay;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddAlipayHkPay(builder.Configuration); // binds the "AlipayHkPay" section

using IHost host = builder.Build();
var alipay = host.Services.GetRequiredService<IAlipayHkPayClient>();

// 1. Create the payment.
PaymentIntent payment = await alipay.CreatePaymentAsync(new CreatePaymentRequest
{
    Amount = 38.00m,
    MerchantOrderId = $"SHOP-{DateTime.UtcNow:yyyyMMddHHmmss}-{Random.Shared.Next(10_000):D4}", // new for each sale
    Description = "Milk tea x2",
    Wallet = AlipayHkWallet.AlipayHk,
    NotifyUrl = new Uri("https://shop.example.com/payments/alipayhk/notify"),
});

// 2. Show this URL as a QR code for the shopper to scan.
Console.WriteLine($"Scan to pay: {payment.NextAction?.Url}");

// 3. Wait for the outcome (the webhook tells you too: see "Receiving webhooks").
PaymentIntent outcome = await alipay.WaitForCompletionAsync(
    PaymentReference.ByMerchantOrderId(payment.MerchantOrderId), TimeSpan.FromMinutes(2));
Console.WriteLine(outcome.Status == PaymentStatus.Succeeded ? "Paid, thank you!" : $"Not paid: {outcome.RawStatus}");
