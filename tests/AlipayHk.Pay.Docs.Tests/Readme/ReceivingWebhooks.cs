using System.Threading.Channels;
using AlipayHk.Pay;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// docs/webhooks.md's blocks, each in the context an ASP.NET Core app gives it. Compiled, not run:
// each ends in app.Run(), or needs a database or Redis. Their behaviour is tested in AlipayHk.Pay.AspNetCore.Tests.
internal static class ReceivingWebhooks
{
    public static void MinimalApi(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddAlipayHkPay(builder.Configuration); // the "AlipayHkPay" section, see below

        var app = builder.Build();

        app.MapAlipayHkPayWebhook("/payments/alipayhk/notify", async (webhook, cancellationToken) =>
        {
            // webhook.Payment is the payment as the gateway reports it now, not what the callback claimed.
            if (webhook.Payment is { Status: PaymentStatus.Succeeded } payment)
            {
                await MarkOrderPaidAsync(payment.MerchantOrderId, payment.Amount, cancellationToken);
            }
        });

        app.Run();
    }

    public static void ScopedServices(WebApplication app)
    {
        app.MapAlipayHkPayWebhook("/payments/alipayhk/notify", async (ConfirmedWebhook webhook, HttpContext http, CancellationToken ct) =>
        {
            var db = http.RequestServices.GetRequiredService<ShopDbContext>();
            // … mark the order paid …
            await db.SaveChangesAsync(ct);
        });
    }

    public static void SlowHandlers(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(Channel.CreateBounded<PaidOrder>(capacity: 1000));
        builder.Services.AddHostedService<FulfilmentWorker>();

        var app = builder.Build();

        app.MapAlipayHkPayWebhook("/payments/alipayhk/notify", (ConfirmedWebhook webhook, HttpContext http, CancellationToken ct) =>
        {
            if (webhook.Payment is not { Status: PaymentStatus.Succeeded } payment)
            {
                return Task.CompletedTask;
            }

            var queue = http.RequestServices.GetRequiredService<Channel<PaidOrder>>();
            return queue.Writer.WriteAsync(new PaidOrder(payment.OrderId, payment.MerchantOrderId, payment.Amount), ct).AsTask();
        });
    }

    public static void SharedDuplicateStore(WebApplicationBuilder builder)
    {
        builder.Services.AddStackExchangeRedisCache(options =>
        {
            options.Configuration = builder.Configuration.GetConnectionString("Redis");
            options.InstanceName = "shop:";
        });
        builder.Services.AddAlipayHkPayDistributedWebhookDeduplication(options =>
        {
            options.Retention = TimeSpan.FromHours(24);        // how long a handled outcome is remembered (default 24 h)
            options.ProcessingTimeout = TimeSpan.FromMinutes(1); // how long a claim lasts while a handler runs (default 1 min)
            options.KeyPrefix = "alipayhkpay:webhook:";          // the default
        });
    }

    private static Task MarkOrderPaidAsync(string merchantOrderId, decimal amount, CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed class ShopDbContext
    {
        public Task<int> SaveChangesAsync(CancellationToken cancellationToken) => Task.FromResult(0);
    }
}

public sealed record PaidOrder(string OrderId, string MerchantOrderId, decimal Amount);

public sealed class FulfilmentWorker(Channel<PaidOrder> queue, ILogger<FulfilmentWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (PaidOrder order in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await FulfilAsync(order, stoppingToken); // slow, idempotent by OrderId
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Fulfilment failed for {OrderId}", order.OrderId);
            }
        }
    }

    private static Task FulfilAsync(PaidOrder order, CancellationToken cancellationToken) =>
        Task.CompletedTask; // your e-mails, ERP calls, shipping
}
