using AlipayHk.Pay.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.Tests.Payments;

/// <summary>
/// <c>WebhookBackstopDelay</c>: an app that receives its webhooks counts on them to end a wait, and queries the gateway
/// only as a backstop. A payment its webhook confirms then costs no query after the create.
/// </summary>
public sealed class WebhookBackstopTests : IDisposable
{
    private readonly GatewayStub _gateway = new();

    public void Dispose() => _gateway.Dispose();

    private static PaymentReference Order => PaymentReference.ByOrderId("C991289984923795789123");

    private int Queries => _gateway.Requests(GatewayStub.QueryPath).Count;

    [Fact]
    public async Task A_wait_the_webhook_ends_costs_no_gateway_query()
    {
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.PublishedQueryResponse);
        await using var sdk = new SdkHarness(_gateway, o => o.WebhookBackstopDelay = TimeSpan.FromSeconds(15));
        PaymentIntent paid = await sdk.Client.GetPaymentAsync(Order, Ct); // stands for what the webhook processor confirmed
        int before = Queries;

        Task<PaymentIntent> wait = sdk.Client.WaitForCompletionAsync(Order, TimeSpan.FromMinutes(2), Ct);
        await sdk.Time.WaitForTimerAsync(TimeSpan.FromSeconds(15)); // the backstop's pause, before any query
        sdk.Time.Advance(TimeSpan.FromSeconds(3));
        await sdk.Services.GetRequiredService<IAlipayHkPayCompletionSignals>().PublishAsync(null, paid, Ct);

        Assert.Equal(PaymentStatus.Succeeded, (await wait).Status);
        Assert.Equal(before, Queries); // none: the webhook ended the wait
    }

    [Fact]
    public async Task When_the_webhook_never_comes_the_backstop_queries_after_its_delay_and_every_delay_after()
    {
        string pending = GatewayStub.PublishedQueryResponse.Replace("SUCCEEDED", "PENDING", StringComparison.Ordinal);
        _gateway.GivenSequence(
            GatewayStub.QueryPath,
            r => GatewayStub.Json(r, pending),
            r => GatewayStub.Json(r, GatewayStub.PublishedQueryResponse));
        await using var sdk = new SdkHarness(_gateway, o => o.WebhookBackstopDelay = TimeSpan.FromSeconds(15));

        Task<PaymentIntent> wait = sdk.Client.WaitForCompletionAsync(Order, TimeSpan.FromMinutes(2), Ct);
        await sdk.Time.WaitForTimerAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(0, Queries);
        sdk.Time.Advance(TimeSpan.FromSeconds(15));
        await sdk.Time.WaitForTimerAsync(TimeSpan.FromSeconds(15)); // not doubled: the backstop keeps its pace
        Assert.Equal(1, Queries);
        sdk.Time.Advance(TimeSpan.FromSeconds(15));

        Assert.Equal(PaymentStatus.Succeeded, (await wait).Status);
        Assert.Equal(2, Queries);
    }

    [Fact]
    public async Task A_wait_shorter_than_the_backstop_still_asks_the_gateway_once()
    {
        _gateway.Given(GatewayStub.QueryPath, GatewayStub.PublishedQueryResponse);
        await using var sdk = new SdkHarness(_gateway, o => o.WebhookBackstopDelay = TimeSpan.FromSeconds(15));

        Task<PaymentIntent> wait = sdk.Client.WaitForCompletionAsync(Order, TimeSpan.FromSeconds(5), Ct);
        await sdk.Time.WaitForTimerAsync(TimeSpan.FromSeconds(2.5)); // half of the wait, to leave time for a query
        sdk.Time.Advance(TimeSpan.FromSeconds(2.5));

        Assert.Equal(PaymentStatus.Succeeded, (await wait).Status);
        Assert.Equal(1, Queries);
    }

    [Fact]
    public void A_backstop_delay_that_is_not_positive_fails_at_start_up_naming_it()
    {
        var services = new ServiceCollection().AddAlipayHkPay(o =>
        {
            o.BaseAddress = new Uri("https://gateway.example/");
            o.Uid = GatewayStub.Uid;
            o.ClientSecret = GatewayStub.ClientSecret;
            o.WebhookBackstopDelay = TimeSpan.Zero;
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<AlipayHkPayOptions>>().Value);
        Assert.Contains("AlipayHkPay:WebhookBackstopDelay must be positive", ex.Message, StringComparison.Ordinal);
    }
}
