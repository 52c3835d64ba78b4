using System.Globalization;
using AlipayHk.Pay.Testing.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AlipayHk.Pay.Testing.Tests;

public sealed class StateMachineTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-03-01T10:00:00Z", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Complete_moves_pending_to_succeeded_with_pay_time_from_the_simulators_clock()
    {
        var clock = new FakeTimeProvider(Start);
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(new() { TimeProvider = clock }, TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.CreateAsync("SM-1");
        clock.Advance(TimeSpan.FromSeconds(42));

        SimulatedPayment paid = await simulator.CompletePaymentAsync("SM-1", TestContext.Current.CancellationToken);

        Assert.Equal(PaymentStatus.Succeeded, paid.Status);
        Assert.Equal(Start, paid.CreateTime);
        Assert.Equal(Start.AddSeconds(42), paid.PayTime);
        Assert.Equal(PaymentStatus.Succeeded, simulator.GetPayment(paid.OrderId)!.Status);
    }

    [Fact]
    public async Task Cancel_and_time_out_both_end_in_cancelled()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.CreateAsync("SM-C");
        await client.CreateAsync("SM-T");

        SimulatedPayment cancelled = simulator.CancelPayment("SM-C");
        SimulatedPayment timedOut = simulator.TimeOutPayment("SM-T");

        Assert.Equal(PaymentStatus.Cancelled, cancelled.Status);
        Assert.Equal(PaymentStatus.Cancelled, timedOut.Status);
        Assert.Null(timedOut.PayTime);
        Assert.Equal("CANCELLED", (await client.QueryAsync(merchantOrderId: "SM-T")).GetProperty("data").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Final_states_are_final()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.CreateAsync("SM-X");
        await client.CreateAsync("SM-Y");
        simulator.CancelPayment("SM-X");
        await simulator.CompletePaymentAsync("SM-Y", TestContext.Current.CancellationToken);

        var completeCancelled = await Assert.ThrowsAsync<InvalidOperationException>(() => simulator.CompletePaymentAsync("SM-X", TestContext.Current.CancellationToken));
        var cancelPaid = Assert.Throws<InvalidOperationException>(() => simulator.CancelPayment("SM-Y"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => simulator.CompletePaymentAsync("SM-Y", TestContext.Current.CancellationToken));

        Assert.Contains("already CANCELLED", completeCancelled.Message, StringComparison.Ordinal);
        Assert.Contains("already SUCCEEDED", cancelPaid.Message, StringComparison.Ordinal);
        Assert.Equal(PaymentStatus.Cancelled, simulator.GetPayment("SM-X")!.Status);
        Assert.Equal(PaymentStatus.Succeeded, simulator.GetPayment("SM-Y")!.Status);
    }

    [Fact]
    public async Task Controls_name_an_unknown_payment()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => simulator.CompletePaymentAsync("nope", TestContext.Current.CancellationToken));
        Assert.Throws<KeyNotFoundException>(() => simulator.CancelPayment("nope"));
        Assert.Null(simulator.GetPayment("nope"));
    }

    [Fact]
    public async Task AutoPayAfter_pays_on_its_own_when_the_clock_gets_there()
    {
        var clock = new FakeTimeProvider(Start);
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(new() { TimeProvider = clock, AutoPayAfter = TimeSpan.FromSeconds(3) }, TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.CreateAsync("AUTO-1", receiver.NotifyUrl.AbsoluteUri);

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(PaymentStatus.Pending, simulator.GetPayment("AUTO-1")!.Status);
        clock.Advance(TimeSpan.FromSeconds(1));
        CallbackDelivery delivery = await simulator.WaitForCallbackAsync("AUTO-1", cancellationToken: Timeouts.Bounded());

        Assert.True(delivery.Accepted);
        Assert.Equal(PaymentStatus.Succeeded, simulator.GetPayment("AUTO-1")!.Status);
        Assert.Equal(Start.AddSeconds(3), simulator.GetPayment("AUTO-1")!.PayTime);
    }

    [Fact]
    public async Task PaymentTimeout_cancels_an_unpaid_order_but_not_a_paid_one()
    {
        var clock = new FakeTimeProvider(Start);
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(new() { TimeProvider = clock, PaymentTimeout = TimeSpan.FromMinutes(15) }, TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.CreateAsync("TO-UNPAID");
        await client.CreateAsync("TO-PAID");
        await simulator.CompletePaymentAsync("TO-PAID", TestContext.Current.CancellationToken);

        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(PaymentStatus.Pending, simulator.GetPayment("TO-UNPAID")!.Status);
        clock.Advance(TimeSpan.FromMinutes(1));

        SimulatedPayment cancelled = await simulator.WaitForPaymentStatusAsync("TO-UNPAID", PaymentStatus.Cancelled, Timeouts.Bounded());
        Assert.Null(cancelled.PayTime);
        Assert.Equal(PaymentStatus.Succeeded, simulator.GetPayment("TO-PAID")!.Status);
    }

}
