// The merchant app of the crash tests. Started by tests/AlipayHk.Pay.CrashTests as `dotnet AlipayHk.Pay.CrashTests.App.dll`
// with its settings in the environment (AlipayHkPay__BaseAddress, __Uid, __ClientSecret, __WebhookKey: the simulator's;
// Crash__Database, Crash__ConnectionString, Crash__Instance, Crash__NotifyUrl; ASPNETCORE_URLS), and killed with SIGKILL.
//
//   POST /sell?order=ID&wait=MS   a cashier's sale: create (notify URL: this instance), then wait up to MS for the outcome
//   POST /notify                  the gateway's callbacks (no webhook handler: payments go to the outcome handler)
//
// Timings (fast, so that a run of a few hundred sales and a few dozen kills takes about a minute):
//   SDK:       AttemptTimeout 3 s, TotalTimeout 5 s (a create interrupted before it reached the gateway is settled
//              "not created" 4 x 5 s = 20 s after it began), polls of a wait 50 ms doubling to 250 ms.
//   Outcomes:  FirstCheckDelay 1 s, MinCheckInterval 250 ms, MaxCheckInterval 1 s, ScanInterval 100 ms,
//              MaxConcurrentChecks 4, MaxChecksPerSecond 50 (the defaults are 1 min, 5 s, 10 min, 5 s, 4 and 10).
using System.Data.Common;
using AlipayHk.Pay;
using AlipayHk.Pay.CrashTests.App;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
builder.Logging.SetMinimumLevel(LogLevel.Warning);

CrashSettings settings = builder.Configuration.GetSection("Crash").Get<CrashSettings>() ?? new CrashSettings();
builder.Services.AddSingleton(settings);
builder.Services.AddDbContext<ShopDb>(options =>
{
    if (settings.Database == "postgres")
    {
        options.UseNpgsql(settings.ConnectionString, npgsql => npgsql.EnableRetryOnFailure(3, TimeSpan.FromMilliseconds(50), null));
    }
    else
    {
        options.UseSqlite(settings.ConnectionString);
    }
});

builder.Services.AddAlipayHkPay(options =>
{
    builder.Configuration.GetSection(AlipayHkPayOptions.SectionName).Bind(options);
    options.AttemptTimeout = TimeSpan.FromSeconds(3);
    options.TotalTimeout = TimeSpan.FromSeconds(5);
    options.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
    options.MaxRetryDelay = TimeSpan.FromMilliseconds(200);
    options.PollInitialDelay = TimeSpan.FromMilliseconds(50);
    options.PollMaxDelay = TimeSpan.FromMilliseconds(250);
});
builder.Services.AddAlipayHkPayOutcomes<BookPayment>(options =>
{
    options.FirstCheckDelay = TimeSpan.FromSeconds(1);
    options.MinCheckInterval = TimeSpan.FromMilliseconds(250);
    options.MaxCheckInterval = TimeSpan.FromSeconds(1);
    options.ScanInterval = TimeSpan.FromMilliseconds(100);
    options.MaxConcurrentChecks = 4;
    options.MaxChecksPerSecond = 50;
});
builder.Services.AddAlipayHkPayEntityFrameworkCore<ShopDb>();

WebApplication app = builder.Build();
app.MapAlipayHkPayWebhook("/notify");
app.MapPost("/sell", async (HttpContext http, IAlipayHkPayClient client) =>
{
    string order = http.Request.Query["order"].ToString();
    int wait = int.TryParse(http.Request.Query["wait"], out int ms) ? ms : 500;
    try
    {
        Markers.Write(Markers.Create, order);
        PaymentIntent created = await client.CreatePaymentAsync(
            new CreatePaymentRequest
            {
                Amount = 10m + (order.Length > 0 ? order[^1] % 10 : 0),
                MerchantOrderId = order,
                Description = "Crash test sale",
                Wallet = AlipayHkWallet.AlipayHk,
                NotifyUrl = settings.NotifyUrl,
            },
            http.RequestAborted);
        Markers.Write(Markers.Wait, order);
        PaymentIntent last = await client.WaitForCompletionAsync(PaymentReference.ByOrderId(created.OrderId), TimeSpan.FromMilliseconds(wait), http.RequestAborted);
        return Results.Text(last.RawStatus);
    }
    catch (AlipayHkPayApiException refused)
    {
        return Results.Text($"refused {refused.Code} {refused.GatewayMessage}", statusCode: 502);
    }
    catch (AlipayHkPayException failed)
    {
        return Results.Text($"{failed.GetType().Name}: {failed.Message}", statusCode: 502);
    }
});

// The schema: the tests create it before the first start; here it is created only when missing (a merchant would migrate).
await using (AsyncServiceScope scope = app.Services.CreateAsyncScope())
{
    try
    {
        await scope.ServiceProvider.GetRequiredService<ShopDb>().Database.EnsureCreatedAsync();
    }
    catch (DbException)
    {
        // Another instance created it at the same moment.
    }
}

await app.StartAsync();
Markers.Write(Markers.Ready, $"{settings.Instance} {Environment.ProcessId}");
await app.WaitForShutdownAsync();
