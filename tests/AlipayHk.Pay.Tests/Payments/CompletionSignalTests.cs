using AlipayHk.Pay.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.Tests.Payments;

/// <summary>Waits that end on a completion signal, with the clock stopped (FakeTimeProvider): no poll can be what ended them.</summary>
public sealed class CompletionSignalTests : IDisposable
{
    private readonly GatewayStub _gateway = new();

    public void Dispose() => _gateway.Dispose();

    private static PaymentReference Order => PaymentReference.ByOrderId("C991289984923795789123");

    private static string Pending => GatewayStub.PublishedQueryResponse.Replace("SUCCEEDED", "PENDING", StringComparison.Ordinal);

    private static PaymentIntent Paid(string orderId = "C991289984923795789123", string merchantOrderId = "M-1") => new()
    {
        OrderId = orderId,
        MerchantOrderId = merchantOrderId,
        Currency = "HKD",
        Status = PaymentStatus.Succeeded,
        RawStatus = "SUCCEEDED",
    };

    [Fact]
    public async Task A_signal_ends_the_pause_of_a_wait_without_another_query()
    {
        _gateway.Given(GatewayStub.QueryPath, Pending);
        await using var sdk = new SdkHarness(_gateway);
        var signals = sdk.Services.GetRequiredService<IAlipayHkPayCompletionSignals>();
        Assert.IsType<InProcessCompletionSignals>(signals); // the default, with nothing configured

        Task<PaymentIntent> wait = sdk.Client.WaitForCompletionAsync(Order, TimeSpan.FromMinutes(2), Ct);
        await sdk.Time.WaitForTimerAsync(TimeSpan.FromSeconds(1)); // the first query answered PENDING; pausing
        await signals.PublishAsync(null, Paid(), Ct);

        PaymentIntent outcome = await wait.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(PaymentStatus.Succeeded, outcome.Status);
        Assert.Single(_gateway.Requests(GatewayStub.QueryPath));
    }

    [Fact]
    public async Task A_signal_for_another_merchant_or_order_or_a_pending_payment_does_not_end_the_wait()
    {
        _gateway.Given(GatewayStub.QueryPath, Pending);
        await using var sdk = new SdkHarness(_gateway);
        var signals = sdk.Services.GetRequiredService<IAlipayHkPayCompletionSignals>();

        Task<PaymentIntent> wait = sdk.Client.WaitForCompletionAsync(Order, TimeSpan.FromSeconds(3), Ct);
        await sdk.Time.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        await signals.PublishAsync("shop-b", Paid(), Ct);
        await signals.PublishAsync(null, Paid(orderId: "C-OTHER", merchantOrderId: "M-OTHER"), Ct);
        await signals.PublishAsync(null, new PaymentIntent { OrderId = Order.OrderId!, MerchantOrderId = "M-1", Currency = "HKD", Status = PaymentStatus.Pending, RawStatus = "PENDING" }, Ct);
        sdk.Time.Advance(TimeSpan.FromSeconds(1));
        await sdk.Time.WaitForTimerAsync(TimeSpan.FromSeconds(2));
        sdk.Time.Advance(TimeSpan.FromSeconds(2));

        PaymentIntent outcome = await wait.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(PaymentStatus.Pending, outcome.Status); // timed out by polling, as without signals
    }

    [Fact]
    public async Task Signals_reach_a_wait_by_merchant_order_id_and_stop_after_the_subscription_is_disposed()
    {
        var signals = new InProcessCompletionSignals();
        var heard = new List<string>();
        IDisposable byMerchantOrder = signals.Subscribe("shop-a", PaymentReference.ByMerchantOrderId("M-1"), p => heard.Add("m:" + p.OrderId));
        using IDisposable byOrder = signals.Subscribe("shop-a", PaymentReference.ByOrderId("C-1"), p => heard.Add("o:" + p.OrderId));

        await signals.PublishAsync("shop-a", Paid("C-1", "M-1"), Ct);
        byMerchantOrder.Dispose();
        byMerchantOrder.Dispose();
        await signals.PublishAsync("shop-a", Paid("C-1", "M-1"), Ct);

        Assert.Equal(["o:C-1", "m:C-1", "o:C-1"], heard);
    }

    [Fact]
    public async Task Signals_that_fail_leave_the_wait_to_polling()
    {
        _gateway.GivenSequence(GatewayStub.QueryPath, r => GatewayStub.Json(r, Pending), r => GatewayStub.Json(r, GatewayStub.PublishedQueryResponse));
        await using var sdk = new SdkHarness(_gateway, services: s => s.AddSingleton<IAlipayHkPayCompletionSignals, BrokenSignals>());

        Task<PaymentIntent> wait = sdk.Client.WaitForCompletionAsync(Order, TimeSpan.FromMinutes(2), Ct);
        await sdk.Time.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        sdk.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(PaymentStatus.Succeeded, (await wait.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Status);
        Assert.Contains("completion signals failed to subscribe", sdk.AllLogText(), StringComparison.Ordinal);
    }

    private sealed class BrokenSignals : IAlipayHkPayCompletionSignals
    {
        public ValueTask PublishAsync(string? merchantName, PaymentIntent payment, CancellationToken cancellationToken) => throw new InvalidOperationException("down");

        public IDisposable Subscribe(string? merchantName, PaymentReference reference, Action<PaymentIntent> completed) => throw new InvalidOperationException("down");
    }
}
