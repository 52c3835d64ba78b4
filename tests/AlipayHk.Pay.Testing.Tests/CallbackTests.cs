using System.Globalization;
using AlipayHk.Pay.Testing.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AlipayHk.Pay.Testing.Tests;

public sealed class CallbackTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-03-01T10:00:00Z", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Completing_a_payment_posts_a_compact_correctly_signed_callback_to_notify_url()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        string orderId = (await client.CreateAsync("CB-1", receiver.NotifyUrl.AbsoluteUri)).GetProperty("data").GetProperty("order_id").GetString()!;

        await simulator.CompletePaymentAsync("CB-1", TestContext.Current.CancellationToken);

        ReceivedCallback callback = Assert.Single(receiver.Received); // Already there: the first attempt is awaited.
        Assert.Equal("POST", callback.Method);
        Assert.Equal("/webhooks/alipayhk", callback.Path);
        Assert.Equal("application/json", callback.ContentType);
        Assert.Equal("{\"notify_type\":\"payment_success\",\"data\":{\"order_id\":\"" + orderId + "\",\"merchant_order_id\":\"CB-1\"}}", callback.BodyText);
        Assert.Equal(WebhookSigning.Sign(callback.Body, simulator.ClientSecret), callback.Headers["Signature"]);

        CallbackDelivery delivery = Assert.Single(simulator.CallbackDeliveries);
        Assert.True(delivery.Accepted);
        Assert.Equal(1, delivery.Attempt);
        Assert.Null(delivery.NextAttemptAt);
        Assert.Equal(callback.BodyText, delivery.Body);
        Assert.Equal(callback.Headers["Signature"], delivery.Signature);
    }

    [Fact]
    public async Task A_separate_webhook_key_and_header_name_are_used_when_set()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(new() { WebhookKey = "notify-key-1", SignatureHeader = "X-Cbtis-Signature" }, TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.CreateAsync("CB-KEY", receiver.NotifyUrl.AbsoluteUri);

        await simulator.CompletePaymentAsync("CB-KEY", TestContext.Current.CancellationToken);

        ReceivedCallback callback = Assert.Single(receiver.Received);
        Assert.Equal(WebhookSigning.Sign(callback.Body, "notify-key-1"), callback.Headers["X-Cbtis-Signature"]);
        Assert.False(callback.Headers.ContainsKey("Signature"));
        var options = new AlipayHkPayOptions();
        simulator.ConfigureClient(options);
        Assert.Equal("notify-key-1", options.WebhookKey);
        Assert.Equal("X-Cbtis-Signature", options.WebhookSignatureHeader);
    }

    [Fact]
    public async Task No_notify_url_means_no_callback()
    {
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.CreateAsync("CB-NONE");

        await simulator.CompletePaymentAsync("CB-NONE", TestContext.Current.CancellationToken);

        Assert.Empty(simulator.CallbackDeliveries);
    }

    [Fact]
    public async Task Failed_callbacks_follow_the_gateways_retry_schedule_on_the_simulators_clock()
    {
        var clock = new FakeTimeProvider(Start);
        await using var receiver = await CallbackReceiver.StartAsync(failures: 3);
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(new() { TimeProvider = clock }, TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.CreateAsync("CB-RETRY", receiver.NotifyUrl.AbsoluteUri);

        await simulator.CompletePaymentAsync("CB-RETRY", TestContext.Current.CancellationToken);
        CallbackDelivery first = Assert.Single(simulator.CallbackDeliveries);
        Assert.Equal(500, first.StatusCode);
        Assert.Equal(Start.AddSeconds(15), first.NextAttemptAt);

        clock.Advance(TimeSpan.FromSeconds(14));
        Assert.Single(simulator.CallbackDeliveries); // Not yet.
        clock.Advance(TimeSpan.FromSeconds(1));
        CallbackDelivery second = await simulator.WaitForCallbackAsync("CB-RETRY", 2, Timeouts.Bounded());
        Assert.Equal(Start.AddSeconds(15), second.SentAt);
        Assert.Equal(Start.AddSeconds(15 + 30), second.NextAttemptAt);

        clock.Advance(TimeSpan.FromSeconds(30));
        CallbackDelivery third = await simulator.WaitForCallbackAsync("CB-RETRY", 3, Timeouts.Bounded());
        Assert.Equal(Start.AddSeconds(45 + 60), third.NextAttemptAt);

        clock.Advance(TimeSpan.FromSeconds(60));
        CallbackDelivery settled = await simulator.WaitForCallbacksSettledAsync("CB-RETRY", Timeouts.Bounded());

        Assert.Equal(4, settled.Attempt);
        Assert.True(settled.Accepted);
        Assert.Null(settled.NextAttemptAt);
        Assert.Equal(4, receiver.Received.Count);
        Assert.All(receiver.Received, r => Assert.Equal(WebhookSigning.Sign(r.Body, simulator.WebhookKey), r.Headers["Signature"]));
        Assert.Single(receiver.Received.Select(r => r.BodyText).Distinct()); // The same notification every time.
    }

    [Fact]
    public async Task A_receiver_that_never_answers_200_gets_ten_notifications_then_no_more()
    {
        var clock = new FakeTimeProvider(Start);
        await using var receiver = await CallbackReceiver.StartAsync(_ => 404);
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(new() { TimeProvider = clock }, TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.CreateAsync("CB-DEAD", receiver.NotifyUrl.AbsoluteUri);
        await simulator.CompletePaymentAsync("CB-DEAD", TestContext.Current.CancellationToken);

        for (int attempt = 1; attempt < 10; attempt++)
        {
            CallbackDelivery delivery = await simulator.WaitForCallbackAsync("CB-DEAD", attempt, Timeouts.Bounded());
            clock.Advance(delivery.NextAttemptAt!.Value - clock.GetUtcNow());
        }

        CallbackDelivery last = await simulator.WaitForCallbacksSettledAsync("CB-DEAD", Timeouts.Bounded());

        Assert.Equal(10, last.Attempt);
        Assert.False(last.Accepted);
        Assert.Null(last.NextAttemptAt);
        Assert.Equal(10, receiver.Received.Count);
        int[] offsets = simulator.CallbackDeliveries.Select(d => (int)(d.SentAt - Start).TotalSeconds).ToArray();
        Assert.Equal([0, 15, 45, 105, 405, 1005, 2805, 6405, 13605, 28005], offsets);
    }

    [Fact]
    public async Task Scaled_schedule_runs_the_retries_in_milliseconds_on_the_real_clock()
    {
        await using var receiver = await CallbackReceiver.StartAsync(failures: 2);
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(new() { CallbackTimeScale = 0.001 }, TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.CreateAsync("CB-FAST", receiver.NotifyUrl.AbsoluteUri);

        await simulator.CompletePaymentAsync("CB-FAST", TestContext.Current.CancellationToken);
        CallbackDelivery settled = await simulator.WaitForCallbacksSettledAsync("CB-FAST", Timeouts.Bounded());

        Assert.Equal(3, settled.Attempt);
        Assert.True(settled.Accepted);
        IReadOnlyList<CallbackDelivery> deliveries = simulator.CallbackDeliveries;
        // 15 ms and 30 ms, less a little for the timer's millisecond granularity against the wall clock.
        Assert.True(deliveries[1].SentAt - deliveries[0].SentAt >= TimeSpan.FromMilliseconds(12), $"{deliveries[1].SentAt - deliveries[0].SentAt}");
        Assert.True(deliveries[2].SentAt - deliveries[1].SentAt >= TimeSpan.FromMilliseconds(27), $"{deliveries[2].SentAt - deliveries[1].SentAt}");
    }

    [Fact]
    public async Task A_receiver_that_answers_too_late_or_is_not_there_counts_as_a_failure()
    {
        await using var slow = await CallbackReceiver.StartAsync(_ => 200, hang: true);
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(new()
        {
            CallbackTimeout = TimeSpan.FromMilliseconds(200),
            CallbackRetryDelays = [TimeSpan.Zero],
        }, TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.CreateAsync("CB-SLOW", slow.NotifyUrl.AbsoluteUri);
        var closed = new Uri($"http://127.0.0.1:{ClosedPort()}/webhook");
        await client.CreateAsync("CB-GONE", closed.AbsoluteUri);

        await simulator.CompletePaymentAsync("CB-SLOW", TestContext.Current.CancellationToken);
        await simulator.CompletePaymentAsync("CB-GONE", TestContext.Current.CancellationToken);
        CallbackDelivery slowLast = await simulator.WaitForCallbacksSettledAsync("CB-SLOW", Timeouts.Bounded());
        CallbackDelivery goneLast = await simulator.WaitForCallbacksSettledAsync("CB-GONE", Timeouts.Bounded());

        Assert.Equal(2, slowLast.Attempt); // A custom schedule: one retry.
        Assert.Null(slowLast.StatusCode);
        Assert.Contains("no answer within 200 ms", slowLast.Error, StringComparison.Ordinal);
        Assert.Equal(2, goneLast.Attempt);
        Assert.Null(goneLast.StatusCode);
        Assert.NotNull(goneLast.Error);
    }

    [Fact]
    public async Task Dispose_stops_pending_retries()
    {
        var simulator = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken); // Real schedule: the retry is 15 s away.
        await using var receiver = await CallbackReceiver.StartAsync(_ => 500);
        using var client = new GatewayClient(simulator);
        await client.CreateAsync("CB-STOP", receiver.NotifyUrl.AbsoluteUri);
        await simulator.CompletePaymentAsync("CB-STOP", TestContext.Current.CancellationToken);

        Task waiting = simulator.WaitForCallbackAsync("CB-STOP", 2, TestContext.Current.CancellationToken);
        await simulator.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting);
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task Callbacks_can_go_through_a_given_handler_instead_of_a_socket()
    {
        using var handler = new RecordingHandler();
        await using var simulator = await AlipayHkGatewaySimulator.StartAsync(new() { CallbackHandler = handler }, TestContext.Current.CancellationToken);
        using var client = new GatewayClient(simulator);
        await client.CreateAsync("CB-MEM", "http://merchant.invalid/webhook");

        await simulator.CompletePaymentAsync("CB-MEM", TestContext.Current.CancellationToken);

        HttpRequestMessage request = Assert.Single(handler.Requests);
        Assert.Equal(new Uri("http://merchant.invalid/webhook"), request.RequestUri);
        Assert.True(simulator.CallbackDeliveries.Single().Accepted);
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port; // Closed again when disposed.
    }
}
