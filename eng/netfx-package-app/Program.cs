// The check .ci/checks/60-netfx-package.sh builds this file as a merchant's .NET Framework 4.8 app against the packed
// AlipayHk.Pay (a local feed, not a project reference: the dependencies and binding redirects are what a merchant
// gets), and runs it under Mono against the simulator tool. Exit 0 when every step did what it should.
using System;
using System.IO;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using AlipayHk.Pay;
using Microsoft.Extensions.Options;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        Uri gateway = new Uri(args[0]);

        // 1. A bad setting fails Create, naming it.
        try
        {
            AlipayHkPay.Create(new AlipayHkPayOptions { BaseAddress = gateway, ClientSecret = "x" }).Dispose();
            return Fail("Create accepted options without a Uid");
        }
        catch (OptionsValidationException bad) when (bad.Message.Contains("AlipayHkPay:Uid"))
        {
            Console.WriteLine("1. a missing Uid is refused: " + bad.Message);
        }

        using var pay = AlipayHkPay.Create(new AlipayHkPayOptions
        {
            BaseAddress = gateway,
            Uid = "10000001",
            ClientSecret = "simulator-client-secret",
        });

        // 2. A payment created and read back (token, Refit, System.Text.Json, the resilience handler, on .NET Framework).
        string merchantOrderId = "NETFX-" + Guid.NewGuid().ToString("N").Substring(0, 12);
        PaymentIntent created = await pay.Client.CreatePaymentAsync(new CreatePaymentRequest
        {
            Amount = 9.90m,
            MerchantOrderId = merchantOrderId,
            Description = "Package check",
            Wallet = AlipayHkWallet.AlipayCn,
            NotifyUrl = new Uri("http://127.0.0.1:9/notify"),
        });
        PaymentIntent read = await pay.Client.GetPaymentAsync(PaymentReference.ByMerchantOrderId(merchantOrderId));
        if (created.NextAction?.Url is null || read.OrderId != created.OrderId || read.Status != PaymentStatus.Pending || read.Amount != 9.90m)
        {
            return Fail($"unexpected payment: created {created}, read {read}");
        }

        Console.WriteLine($"2. created and read back: {read}");

        // 3. A callback signed with the key verifies; the receiver refuses one signed with another key (401).
        string body = "{\"notify_type\":\"payment_success\",\"data\":{\"order_id\":\"" + read.OrderId + "\",\"merchant_order_id\":\"" + merchantOrderId + "\"}}";
        WebhookNotification notification = pay.Verifier.Verify(body, Sign(body, "simulator-client-secret"));
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(body));
        WebhookReceipt forged = await pay.Receiver.ReceiveAsync(stream, stream.Length, name => name == "Signature" ? Sign(body, "another-key") : null, null);
        if (notification.OrderId != read.OrderId || forged.StatusCode != 401)
        {
            return Fail($"webhooks: {notification}, forged answered {forged.StatusCode}");
        }

        Console.WriteLine($"3. a signed callback verifies; a forged one is answered {forged.StatusCode}");
        Console.WriteLine("NETFX PACKAGE APP OK");
        return 0;
    }

    private static string Sign(string body, string key)
    {
        using SHA256 sha = SHA256.Create();
        byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(body + "." + key));
        return BitConverter.ToString(hash).Replace("-", string.Empty).ToLowerInvariant();
    }

    private static int Fail(string what)
    {
        Console.Error.WriteLine("FAILED: " + what);
        return 1;
    }
}
