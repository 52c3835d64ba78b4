using AlipayHk.Pay.Simulator.Tests.Support;
using AlipayHk.Pay.Testing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AlipayHk.Pay.Simulator.Tests;

/// <summary>
/// The dashboard in a real browser (headless Chromium): a payment made through the SDK appears live, the Pay button
/// pays it, its callback shows as delivered; readable at a phone's width without horizontal scrolling.
/// </summary>
public sealed class DashboardBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };

    [Fact]
    public async Task A_payment_made_with_the_sdk_appears_is_paid_with_the_button_and_its_callback_shows_delivered()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var failing = await CallbackReceiver.StartAsync(_ => 500);
        await using var server = await RunningServer.StartAsync();
        await using ServiceProvider sdk = Sdk(server);
        var client = sdk.GetRequiredService<IAlipayHkPayClient>();
        await using IBrowserContext context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = Phone });
        IPage page = await context.NewPageAsync();

        await page.GotoAsync(server.BaseAddress.AbsoluteUri);
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-loaded", "true");
        await Expect(page.Locator("#live")).ToHaveAttributeAsync("data-state", "live");
        await Expect(page.Locator("#no-payments")).ToBeVisibleAsync();

        PaymentIntent created = await client.CreatePaymentAsync(Request("POS-0001", 38.00m, "Milk tea x2", receiver.NotifyUrl), TestContext.Current.CancellationToken);
        ILocator card = page.Locator($"article.payment[data-order-id='{created.OrderId}']");
        await Expect(card).ToBeVisibleAsync(); // Pushed by the event stream: the page was not reloaded.
        await Expect(card.Locator(".status")).ToHaveTextAsync("PENDING");
        await Expect(card.Locator(".amount")).ToHaveTextAsync("HKD 38.00");

        await card.Locator("button[data-action='pay']").ClickAsync();

        await Expect(card).ToHaveAttributeAsync("data-status", "SUCCEEDED");
        ILocator callback = card.Locator(".callback[data-attempt='1']");
        await Expect(callback).ToHaveAttributeAsync("data-accepted", "true");
        await Expect(callback).ToContainTextAsync("HTTP 200, delivered");
        await Expect(card.Locator("button[data-action='pay']")).ToHaveCountAsync(0);
        Assert.Single(receiver.Received);
        PaymentIntent queried = await client.GetPaymentAsync(PaymentReference.ByOrderId(created.OrderId), TestContext.Current.CancellationToken);
        Assert.Equal(PaymentStatus.Succeeded, queried.Status);

        // More on the screen for the screenshots: a failing callback waiting for its retry, a pending sale, a fault.
        PaymentIntent unlucky = await client.CreatePaymentAsync(Request("POS-0002", 12.50m, "Two coffees", failing.NotifyUrl), TestContext.Current.CancellationToken);
        await server.Simulator.CompletePaymentAsync(unlucky.OrderId, TestContext.Current.CancellationToken);
        await client.CreatePaymentAsync(Request("POS-0003", 64.00m, "Pineapple buns x8", receiver.NotifyUrl), TestContext.Current.CancellationToken);
        await page.Locator("#fault-form select[name='endpoint']").SelectOptionAsync("create");
        await page.Locator("#fault-form button").ClickAsync();
        await Expect(page.Locator("#faults li")).ToContainTextAsync("Next 1 request(s) to create: server_error");
        ILocator retry = page.Locator($"article.payment[data-order-id='{unlucky.OrderId}'] .callback[data-attempt='1']");
        await Expect(retry).ToContainTextAsync("Next attempt at");
        await Expect(page.Locator("article.payment")).ToHaveCountAsync(3);

        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "The dashboard scrolls sideways at 390 px.");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath("dashboard-phone.png"), FullPage = true });
        await page.SetViewportSizeAsync(Desktop.Width, Desktop.Height);
        await Expect(page.Locator("article.payment")).ToHaveCountAsync(3);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "The dashboard scrolls sideways at 1280 px.");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath("dashboard-desktop.png"), FullPage = true });
    }

    [Fact]
    public async Task Deliver_now_sends_a_waiting_retry_and_the_pay_page_links_back_to_the_dashboard()
    {
        await using var receiver = await CallbackReceiver.StartAsync(failures: 1);
        await using var server = await RunningServer.StartAsync(); // The real schedule: the retry is 15 s away.
        string token = await server.TokenAsync();
        string orderId = await ControlApiTests.CreateAsync(server, token, "DELIVER-1", receiver.NotifyUrl);
        await using IBrowserContext context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = Phone });
        IPage page = await context.NewPageAsync();

        // The shopper's page, as the QR code opens it.
        await page.GotoAsync(new Uri(server.BaseAddress, "simulator/pay/" + orderId).AbsoluteUri);
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay as the shopper" }).ClickAsync();
        await Expect(page.Locator("strong")).ToHaveTextAsync("SUCCEEDED");
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the dashboard" }).ClickAsync();

        ILocator card = page.Locator($"article.payment[data-order-id='{orderId}']");
        await Expect(card.Locator(".callback[data-attempt='1']")).ToContainTextAsync("HTTP 500");
        await Expect(card.Locator(".callback[data-attempt='1']")).ToContainTextAsync("Next attempt at");
        await card.Locator("button[data-action='redeliver']").ClickAsync();

        await Expect(card.Locator(".callback[data-attempt='2']")).ToHaveAttributeAsync("data-accepted", "true");
        Assert.Equal(2, receiver.Received.Count);
    }

    [Fact]
    public async Task With_a_control_token_the_browser_signs_in_once_and_the_dashboard_works_on_its_cookie()
    {
        const string Token = "browser-control-token-7d21";
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Simulator:ControlToken"] = Token });
        string orderId = await ControlApiTests.CreateAsync(server, await server.TokenAsync(), "SIGNED-IN-1");
        await using IBrowserContext context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = Phone });
        IPage page = await context.NewPageAsync();

        await page.GotoAsync(server.BaseAddress.AbsoluteUri);
        await page.GetByLabel("Control token").FillAsync(Token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-loaded", "true");
        await Expect(page.Locator("#live")).ToHaveAttributeAsync("data-state", "live");
        ILocator card = page.Locator($"article.payment[data-order-id='{orderId}']");
        await card.Locator("button[data-action='pay']").ClickAsync();
        await Expect(card).ToHaveAttributeAsync("data-status", "SUCCEEDED");
        Assert.Equal(new Uri(server.BaseAddress, "/"), new Uri(page.Url)); // No token in the address bar or the history.
        BrowserContextCookiesResult cookie = Assert.Single(await context.CookiesAsync());
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain(Token, cookie.Value, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await page.EvaluateAsync<string>("document.cookie")); // Out of any script's reach.
    }

    private static ServiceProvider Sdk(RunningServer server)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddAlipayHkPay(options =>
        {
            // What a merchant's app reads from the banner's AlipayHkPay__* variables.
            options.BaseAddress = server.BaseAddress;
            options.Uid = "10000001";
            options.ClientSecret = "simulator-client-secret";
        });
        return services.BuildServiceProvider();
    }

    private static CreatePaymentRequest Request(string merchantOrderId, decimal amount, string description, Uri notifyUrl) => new()
    {
        Amount = amount,
        MerchantOrderId = merchantOrderId,
        Description = description,
        Wallet = AlipayHkWallet.AlipayHk,
        NotifyUrl = notifyUrl,
    };
}
