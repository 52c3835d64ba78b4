using System.Collections.Concurrent;
using AlipayHk.Pay;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddAlipayHkPay(builder.Configuration); // the "AlipayHkPay" section
builder.Services.AddSingleton<Orders>();

var app = builder.Build();
const string NotifyPath = "/payments/alipayhk/notify";

// The shopper checks out: the shop opens an order and asks Alipay HK for a QR code to show.
app.MapPost("/checkout", async (Checkout checkout, Orders orders, IAlipayHkPayClient alipay, CancellationToken ct) =>
{
    Order order = orders.Open(checkout.Amount, checkout.Description);
    PaymentIntent payment = await alipay.CreatePaymentAsync(new CreatePaymentRequest
    {
        Amount = order.Amount,
        MerchantOrderId = order.Id,
        Description = order.Description,
        Wallet = AlipayHkWallet.AlipayHk,
        NotifyUrl = new Uri(ShopUrl(app), NotifyPath),
    }, ct);
    return Results.Ok(new CheckoutResult(order.Id, payment.NextAction?.Url));
});

app.MapGet("/orders/{id}", (string id, Orders orders) => orders.Find(id) is { } order ? Results.Ok(order) : Results.NotFound());

// The gateway's callback, verified and confirmed: the order is paid.
app.MapAlipayHkPayWebhook(NotifyPath, (webhook, http, ct) =>
{
    if (webhook.Payment is { Status: PaymentStatus.Succeeded } payment)
    {
        http.RequestServices.GetRequiredService<Orders>().MarkPaid(payment.MerchantOrderId, payment.Amount);
    }

    return Task.CompletedTask;
});

app.Run();

// Where the gateway posts its callbacks must be the shop's real address, as the gateway reaches it (the gateway follows
// no redirect). Shop:PublicUrl (environment variable Shop__PublicUrl) when set: always with the real gateway, and behind
// a proxy, a tunnel or in a container. Otherwise the address the shop listens on, which a simulator on this machine
// reaches; in a TestServer (no address), http://localhost/, whose host the TestServer ignores.
static Uri ShopUrl(WebApplication app)
{
    if (app.Configuration["Shop:PublicUrl"] is { Length: > 0 } configured)
    {
        return new Uri(configured);
    }

    string[] wildcards = ["://+", "://*", "://0.0.0.0", "://[::]"];
    return app.Urls.FirstOrDefault(url => !wildcards.Any(url.Contains)) is { } listening ? new Uri(listening)
        : app.Urls.Count == 0 ? new Uri("http://localhost/")
        : throw new InvalidOperationException(
            $"The shop listens on every interface ({string.Join(", ", app.Urls)}), so the gateway's callbacks need its real address: "
            + "set Shop:PublicUrl (environment variable Shop__PublicUrl), such as https://shop.example.com/.");
}

public sealed record Checkout(decimal Amount, string Description);

public sealed record CheckoutResult(string OrderId, Uri? QrCodeUrl);

public sealed record Order(string Id, decimal Amount, string Description, bool Paid);

/// <summary>The shop's orders (a database in a real shop). Marking an order paid twice is harmless.</summary>
public sealed class Orders
{
    private readonly ConcurrentDictionary<string, Order> _orders = new();

    public Order Open(decimal amount, string description)
    {
        var order = new Order($"SHOP-{DateTime.UtcNow:yyyyMMddHHmmss}-{Random.Shared.Next(10_000):D4}", amount, description, Paid: false);
        _orders[order.Id] = order;
        return order;
    }

    public Order? Find(string id) => _orders.GetValueOrDefault(id);

    public void MarkPaid(string id, decimal amount)
    {
        if (_orders.TryGetValue(id, out Order? order) && order.Amount == amount)
        {
            _orders[id] = order with { Paid = true };
        }
    }
}
