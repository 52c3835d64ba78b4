using AlipayHk.Pay;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Snippets;

/// <summary>docs/merchants-and-instances.md, "Several merchant accounts": each block's text verbatim (hence not indented).</summary>
internal static class SeveralMerchants
{
    internal static void Register(WebApplicationBuilder builder)
    {
// docs/merchants-and-instances.md block 1
builder.Services.AddAlipayHkPayMerchants(builder.Configuration); // every AlipayHkPay:Merchants:{name}

// Or one by one, in code or from a section; the unnamed AddAlipayHkPay(...) is the default merchant:
builder.Services.AddAlipayHkPay("shop-c", options =>
{
    options.BaseAddress = new Uri("https://merchant-api.example/");
    options.Uid = "39172933";
    options.ClientSecret = builder.Configuration["Secrets:ShopC"];
});
builder.Services.AddAlipayHkPay("shop-d", builder.Configuration.GetSection("AlipayHkPay:Merchants:shop-d"));
    }

    internal static void Map(WebApplication app)
    {
// docs/merchants-and-instances.md block 2
app.MapPost("/shops/b/sales", async ([FromKeyedServices("shop-b")] IAlipayHkPayClient client, CancellationToken cancellationToken) =>
{
    PaymentIntent created = await client.CreatePaymentAsync(new CreatePaymentRequest
    {
        Amount = 38.00m,
        MerchantOrderId = $"B-{Guid.NewGuid():N}"[..20],
        Description = "Milk tea x2",
        Wallet = AlipayHkWallet.AlipayHk,
        NotifyUrl = new Uri("https://shop.example/payments/alipayhk/shop-b/notify"),
    }, cancellationToken);
    return Results.Ok(new { created.OrderId, QrCode = created.NextAction?.Url });
});

// One endpoint per merchant: verified with that merchant's webhook key (another's signature gets a 401).
app.MapAlipayHkPayWebhook("/payments/alipayhk/shop-a/notify", "shop-a", (webhook, cancellationToken) =>
{
    // webhook.MerchantName is "shop-a"; act on webhook.Payment as for the default merchant.
    return Task.CompletedTask;
});
app.MapAlipayHkPayWebhook("/payments/alipayhk/shop-b/notify", "shop-b", (webhook, cancellationToken) => Task.CompletedTask);
    }

    internal static void Resolve(IServiceProvider services)
    {
// docs/merchants-and-instances.md block 3
IAlipayHkPayClient shopB = services.GetRequiredKeyedService<IAlipayHkPayClient>("shop-b");
IAlipayHkPayWebhookProcessor shopBWebhooks = services.GetRequiredKeyedService<IAlipayHkPayWebhookProcessor>("shop-b");
    }
}
