using AlipayHk.Pay;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.Docs.Tests.WebApp;

// README.md, "Quickstart" ("In a web app") and "Going live": the blocks, each in the context an ASP.NET Core app gives
// it. Compiled; WebAppTests runs the same registrations against the simulator.
internal static class WebApp
{
    public static void Program(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddAlipayHkPay(builder.Configuration);  // the "AlipayHkPay" section, as above
        builder.Services.AddAlipayHkPayOutcomes<RecordPayment>(); // called once per final outcome, however it is learned

        var app = builder.Build();

        // 1. Create the payment; 2. the till's page shows its URL as a QR code.
        app.MapPost("/orders/{orderId}/pay", async (string orderId, IAlipayHkPayClient alipay, CancellationToken ct) =>
        {
            PaymentIntent payment = await alipay.CreatePaymentAsync(new CreatePaymentRequest
            {
                Amount = 38.00m,
                MerchantOrderId = orderId, // one per sale: reuse it only to retry the same sale
                Description = "Milk tea x2",
                Wallet = AlipayHkWallet.AlipayHk,
                NotifyUrl = new Uri("https://shop.example.com/payments/alipayhk/notify"), // public, HTTPS, no redirect
            }, ct);
            return Results.Ok(new { payment.OrderId, QrCodeUrl = payment.NextAction?.Url });
        });

        // 3. The gateway's callback: verified, confirmed with the gateway's query API, then handed to RecordPayment.
        app.MapAlipayHkPayWebhook("/payments/alipayhk/notify");

        app.Run();
    }

    public static void GoingLive(WebApplication app)
    {
        // The gateway follows no redirect: HTTPS redirection for everything but the notify path.
        app.UseWhen(
            context => !context.Request.Path.StartsWithSegments("/payments/alipayhk/notify"),
            https => https.UseHttpsRedirection());
    }
}

public sealed class RecordPayment(ILogger<RecordPayment> logger) : IAlipayHkPayOutcomeHandler
{
    public Task HandleAsync(PaymentOutcome outcome, CancellationToken cancellationToken)
    {
        // Mark the order paid (outcome.Succeeded) or cancelled in your database. Throw, and it is offered again later.
        logger.LogInformation("Order {MerchantOrderId} is {Status} ({Source})", outcome.Payment.MerchantOrderId, outcome.Payment.Status, outcome.Source);
        return Task.CompletedTask;
    }
}
