using System.Globalization;
using System.Net;
using AlipayHk.Pay.Testing.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AlipayHk.Pay.Testing.Tests;

/// <summary>The controls a long-lived simulator needs: notify again now, and start over.</summary>
public sealed class ResetAndRedeliveryTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-03-01T10:00:00Z", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Redelivering_sends_a_waiting_retry_now_and_the_schedule_goes_on_from_it()
    {
        var clock = new FakeTimeProvider(Start);
        await using var receiver = await CallbackReceiver.StartAsync(failures: 2);
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(new() { TimeProvider = clock }, TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.CreateAsync("RD-1", receiver.NotifyUrl.AbsoluteUri);
        await simulator.CompletePaymentAsync("RD-1", TestContext.Current.CancellationToken); // 500; the retry is due in 15 s.

        CallbackDelivery second = await simulator.RedeliverCallbackAsync("RD-1", Timeouts.Bounded());

        Assert.Equal(2, second.Attempt);
        Assert.Equal(Start, second.SentAt); // Now, not in 15 s: the clock did not move.
        Assert.Equal(500, second.StatusCode);
        Assert.Equal(Start.AddSeconds(30), second.NextAttemptAt); // The third waits the schedule's second delay.
        clock.Advance(TimeSpan.FromSeconds(30));
        CallbackDelivery third = await simulator.WaitForCallbacksSettledAsync("RD-1", Timeouts.Bounded());
        Assert.Equal((3, true), (third.Attempt, third.Accepted));
        Assert.Equal(3, receiver.Received.Count);
    }

    [Fact]
    public async Task Redelivering_after_the_schedule_is_over_sends_one_more_notification_without_retries()
    {
        await using var receiver = await CallbackReceiver.StartAsync(n => n == 2 ? 500 : 200);
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.CreateAsync("RD-2", receiver.NotifyUrl.AbsoluteUri);
        await simulator.CompletePaymentAsync("RD-2", TestContext.Current.CancellationToken); // Accepted.

        CallbackDelivery again = await simulator.RedeliverCallbackAsync("RD-2", Timeouts.Bounded());
        CallbackDelivery third = await simulator.RedeliverCallbackAsync("RD-2", Timeouts.Bounded());

        Assert.Equal((2, 500, (DateTimeOffset?)null), (again.Attempt, again.StatusCode, again.NextAttemptAt));
        Assert.Equal((3, true), (third.Attempt, third.Accepted));
        Assert.Equal(3, receiver.Received.Count);
        Assert.Single(receiver.Received.Select(r => r.BodyText).Distinct());
        Assert.Single(receiver.Received.Select(r => r.Headers["Signature"]).Distinct());
    }

    [Fact]
    public async Task Redelivering_is_refused_for_a_payment_with_nothing_to_notify()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.CreateAsync("RD-PENDING", "http://127.0.0.1:9/never");
        await client.CreateAsync("RD-NOURL");
        await simulator.CompletePaymentAsync("RD-NOURL", TestContext.Current.CancellationToken);

        var pending = await Assert.ThrowsAsync<InvalidOperationException>(() => simulator.RedeliverCallbackAsync("RD-PENDING", TestContext.Current.CancellationToken));
        var noUrl = await Assert.ThrowsAsync<InvalidOperationException>(() => simulator.RedeliverCallbackAsync("RD-NOURL", TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => simulator.RedeliverCallbackAsync("RD-NONE", TestContext.Current.CancellationToken));

        Assert.Contains("is PENDING: only a SUCCEEDED payment is notified", pending.Message, StringComparison.Ordinal);
        Assert.Contains("has no notify_url", noUrl.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_forgets_everything_stops_pending_work_and_keeps_the_merchants_and_address()
    {
        var clock = new FakeTimeProvider(Start);
        await using var receiver = await CallbackReceiver.StartAsync(_ => 500);
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(
            new() { TimeProvider = clock, AutoPayAfter = TimeSpan.FromSeconds(60) },
            TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.CreateAsync("RS-PAID", receiver.NotifyUrl.AbsoluteUri);
        await client.CreateAsync("RS-WAITING");
        await simulator.CompletePaymentAsync("RS-PAID", TestContext.Current.CancellationToken); // A retry is pending.
        simulator.FailNext(1, SimulatedFault.ServerError);
        Uri address = simulator.BaseAddress;
        string uid = simulator.Uid;
        Task<SimulatedPayment> waiting = simulator.WaitForPaymentStatusAsync("RS-WAITING", PaymentStatus.Cancelled, Timeouts.Bounded());

        simulator.Reset();

        Assert.Empty(simulator.Payments);
        Assert.Empty(simulator.CallbackDeliveries);
        Assert.Empty(simulator.Journal);
        Assert.Empty(simulator.PendingFaults);
        Assert.Equal((address, uid), (simulator.BaseAddress, simulator.Uid));
        await Assert.ThrowsAsync<InvalidOperationException>(() => waiting);

        clock.Advance(TimeSpan.FromHours(5)); // The retries and the automatic payment of before are gone.
        Assert.Single(receiver.Received);
        Assert.Empty(simulator.CallbackDeliveries);

        using HttpResponseMessage oldToken = await client.PostAsync(GatewayClient.QueryPath, """{"merchant_order_id":"RS-PAID"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, oldToken.StatusCode); // Tokens are forgotten too.
        client.Token = null;
        Assert.Equal(0, (await client.CreateAsync("RS-PAID")).GetProperty("code").GetInt32()); // The merchant order id is free again.
        Assert.Equal(200, Assert.Single(simulator.Journal, e => e.Endpoint == SimulatedEndpoint.Create).StatusCode); // The fault was dropped.
    }
}
