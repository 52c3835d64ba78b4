using AlipayHk.Pay;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

// docs/hosting.md's blocks of "Hosting with .NET Aspire and app-wide HttpClient defaults", "Traces and metrics", "Health
// checks", and docs/payments.md's "A recovered create has no QR code", in one app as the Aspire templates shape it. HostingTests runs it
// against the simulator, with a lost create answer.
public static class AspireShapedApp
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        // What the .NET Aspire ServiceDefaults template adds: resilience on every HttpClient.
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        builder.Services.AddAlipayHkPay(builder.Configuration);

        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(AlipayHkPayTelemetry.ActivitySourceName))
            .WithMetrics(metrics => metrics.AddMeter(AlipayHkPayTelemetry.MeterName));

        builder.Services.AddHealthChecks().AddAlipayHkPay(tags: ["ready"]);

        WebApplication app = builder.Build();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }

    public static async Task<PaymentIntent> SellAsync(IAlipayHkPayClient alipay, decimal amount, string description, CancellationToken cancellationToken)
    {
        PaymentIntent payment = await alipay.CreatePaymentAsync(NewSale(amount, description), cancellationToken);
        if (payment.IsRecovered && payment.Status == PaymentStatus.Pending)
        {
            // The answer that carried the QR code was lost, and this order was never shown to the shopper: a new sale
            // under a new merchant order id is safe. The lost order stays unpaid until the gateway closes it.
            payment = await alipay.CreatePaymentAsync(NewSale(amount, description), cancellationToken);
        }

        return payment; // show payment.NextAction.Url as a QR code, unless payment.IsFinal (already paid)
    }

    private static CreatePaymentRequest NewSale(decimal amount, string description) => new()
    {
        Amount = amount,
        Description = description,
        Wallet = AlipayHkWallet.AlipayHk,
        MerchantOrderId = $"SHOP-{DateTime.UtcNow:yyyyMMddHHmmss}-{Random.Shared.Next(10_000):D4}",
    };
}
