using System.Diagnostics.Metrics;
using System.Text;
using AlipayHk.Pay.AspNetCore.Tests.Merchants;
using AlipayHk.Pay.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;

namespace AlipayHk.Pay.AspNetCore.Tests.Outcomes;

/// <summary>
/// One outcome handler, called once per final outcome of each payment, whichever way the SDK learned it: the webhook,
/// a wait, a query or the reconciler (issue 15). The merchant's books are what the handler wrote.
/// </summary>
public sealed class OutcomeHandlerTests
{
    [Fact]
    public async Task A_payment_learned_by_webhook_wait_query_and_redeliveries_reaches_the_books_once()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        await using Kiosk kiosk = await Kiosk.StartAsync(simulator);
        PaymentIntent created = await kiosk.Client.CreatePaymentAsync(TwoShops.Sale("ONCE-1", kiosk.NotifyUrl), Ct);
        Task<PaymentIntent> wait = kiosk.Client.WaitForCompletionAsync(PaymentReference.ByOrderId(created.OrderId), TimeSpan.FromMinutes(1), Ct);

        await simulator.CompletePaymentAsync(created.OrderId, Ct);
        Assert.Equal(PaymentStatus.Succeeded, (await wait).Status);
        Assert.Equal(PaymentStatus.Succeeded, (await kiosk.Client.GetPaymentAsync(PaymentReference.ByMerchantOrderId("ONCE-1"), Ct)).Status);
        await simulator.RedeliverCallbackAsync(created.OrderId, Ct);
        await simulator.RedeliverCallbackAsync(created.OrderId, Ct);

        PaymentOutcome outcome = Assert.Single(kiosk.Books.For("ONCE-1"));
        Assert.True(outcome.Succeeded);
        Assert.Equal(created.OrderId, outcome.Payment.OrderId);
        Assert.Contains(outcome.Source, new[] { PaymentOutcomeSource.Webhook, PaymentOutcomeSource.Wait });
        TrackedPayment record = (await kiosk.Store.FindAsync(string.Empty, "ONCE-1", Ct))!;
        Assert.Equal((TrackedPaymentState.Succeeded, created.OrderId, 12.50m, "Two coffees"), (record.State, record.OrderId, record.Amount, record.Description));
        Assert.NotNull(record.HandledAt);
        Assert.NotNull(record.PayTime);
        Assert.Equal(created.NextAction!.Url!.AbsoluteUri, record.QrCodeUrl);
    }

    [Fact]
    public async Task The_wait_returns_after_the_books_are_written()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        await using Kiosk kiosk = await Kiosk.StartAsync(simulator, o => o.FirstCheckDelay = TimeSpan.FromHours(1)); // the reconciler stays out of it
        PaymentIntent created = await kiosk.Client.CreatePaymentAsync(TwoShops.Sale("ORDERED-1"), Ct); // no webhook: the wait learns it

        Task<PaymentIntent> wait = kiosk.Client.WaitForCompletionAsync(PaymentReference.ByOrderId(created.OrderId), TimeSpan.FromMinutes(1), Ct);
        await simulator.CompletePaymentAsync(created.OrderId, Ct);
        await wait;

        PaymentOutcome outcome = Assert.Single(kiosk.Books.For("ORDERED-1"));
        Assert.Equal(PaymentOutcomeSource.Wait, outcome.Source);
    }

    [Fact]
    public async Task A_handler_that_throws_records_nothing_the_webhook_is_answered_500_and_the_outcome_is_offered_again()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        await using Kiosk kiosk = await Kiosk.StartAsync(simulator, o => o.FirstCheckDelay = TimeSpan.FromHours(1)); // the reconciler stays out of it
        kiosk.Books.FailuresLeft = 1;
        PaymentIntent created = await kiosk.Client.CreatePaymentAsync(TwoShops.Sale("FAIL-1", kiosk.NotifyUrl), Ct);

        await simulator.CompletePaymentAsync(created.OrderId, Ct);
        CallbackDelivery first = await simulator.WaitForCallbackAsync(created.OrderId, 1, Ct);
        Assert.Equal(500, first.StatusCode);
        Assert.Empty(kiosk.Books.For("FAIL-1"));
        Assert.Equal(TrackedPaymentState.Pending, (await kiosk.Store.FindAsync(string.Empty, "FAIL-1", Ct))!.State);

        CallbackDelivery again = await simulator.RedeliverCallbackAsync(created.OrderId, Ct);

        Assert.Equal(200, again.StatusCode);
        Assert.Single(kiosk.Books.For("FAIL-1"));
        Assert.Equal(TrackedPaymentState.Succeeded, (await kiosk.Store.FindAsync(string.Empty, "FAIL-1", Ct))!.State);
    }

    [Fact]
    public async Task Without_any_webhook_or_wait_the_reconciler_brings_a_paid_sale_to_the_books()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        await using Kiosk kiosk = await Kiosk.StartAsync(simulator);
        PaymentIntent created = await kiosk.Client.CreatePaymentAsync(TwoShops.Sale("RECON-1"), Ct); // no notify_url

        await simulator.CompletePaymentAsync(created.OrderId, Ct);
        await kiosk.Books.WaitForAsync();

        PaymentOutcome outcome = Assert.Single(kiosk.Books.For("RECON-1"));
        Assert.Equal(PaymentOutcomeSource.Reconciliation, outcome.Source);
    }

    [Fact]
    public async Task A_cancelled_sale_reaches_the_books_as_cancelled()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        await using Kiosk kiosk = await Kiosk.StartAsync(simulator);
        PaymentIntent created = await kiosk.Client.CreatePaymentAsync(TwoShops.Sale("CANCEL-1", kiosk.NotifyUrl), Ct);

        simulator.CancelPayment(created.OrderId);
        await kiosk.Books.WaitForAsync();

        PaymentOutcome outcome = Assert.Single(kiosk.Books.For("CANCEL-1"));
        Assert.Equal(PaymentStatus.Cancelled, outcome.Payment.Status);
        Assert.False(outcome.Succeeded);
        Assert.Equal(TrackedPaymentState.Cancelled, (await kiosk.Store.FindAsync(string.Empty, "CANCEL-1", Ct))!.State);
    }

    [Fact]
    public async Task A_sale_whose_create_landed_while_the_app_died_is_found_by_merchant_order_id_and_handled_once_paid()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        await using Kiosk kiosk = await Kiosk.StartAsync(simulator);
        // The app recorded "creating", sent the create, and died before the answer: the order exists at the gateway.
        DateTimeOffset now = DateTimeOffset.UtcNow;
        await kiosk.Store.SaveAsync(Creating("DIED-1", now, now), Ct);
        await using (ServiceProvider other = OtherApp(simulator))
        {
            await other.GetRequiredService<IAlipayHkPayClient>().CreatePaymentAsync(TwoShops.Sale("DIED-1"), Ct);
        }

        await simulator.CompletePaymentAsync("DIED-1", Ct);
        await kiosk.Books.WaitForAsync();

        Assert.Single(kiosk.Books.For("DIED-1"));
        TrackedPayment record = (await kiosk.Store.FindAsync(string.Empty, "DIED-1", Ct))!;
        Assert.Equal(TrackedPaymentState.Succeeded, record.State);
        Assert.NotNull(record.OrderId);
    }

    [Fact]
    public async Task A_sale_rung_up_again_after_the_app_died_during_its_create_is_still_handled_once_though_the_gateway_refuses_the_second_create()
    {
        // Found by the crash tests (tests/AlipayHk.Pay.CrashTests): the app recorded "creating", sent the create and died;
        // the order exists. The till rings the sale up again with the same merchant order id, and the gateway refuses it
        // as a duplicate. That refusal is no proof that the order does not exist: the payment must stay open, be found by
        // merchant order id, and reach the books once its shopper gives up (a cancellation has no callback).
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        await using Kiosk kiosk = await Kiosk.StartAsync(simulator);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        await kiosk.Store.SaveAsync(Creating("AGAIN-1", now, now + TimeSpan.FromMinutes(1)), Ct);
        await using (ServiceProvider other = OtherApp(simulator))
        {
            await other.GetRequiredService<IAlipayHkPayClient>().CreatePaymentAsync(TwoShops.Sale("AGAIN-1"), Ct); // the create that landed
        }

        await Assert.ThrowsAsync<AlipayHkPayApiException>(() => kiosk.Client.CreatePaymentAsync(TwoShops.Sale("AGAIN-1", kiosk.NotifyUrl), Ct));
        Assert.True((await kiosk.Store.FindAsync(string.Empty, "AGAIN-1", Ct))!.IsOpen, "a refused create left the payment open, for the reconciler");

        simulator.CancelPayment("AGAIN-1");
        await kiosk.Books.WaitForAsync();

        PaymentOutcome outcome = Assert.Single(kiosk.Books.For("AGAIN-1"));
        Assert.Equal((PaymentStatus.Cancelled, PaymentOutcomeSource.Reconciliation), (outcome.Payment.Status, outcome.Source));
        Assert.Equal(TrackedPaymentState.Cancelled, (await kiosk.Store.FindAsync(string.Empty, "AGAIN-1", Ct))!.State);
    }

    [Fact]
    public async Task A_create_that_never_landed_is_marked_not_created_after_two_lookups_and_never_handled()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        await using Kiosk kiosk = await Kiosk.StartAsync(simulator);
        using MetricCollector<long> outcomes = Outcomes(kiosk);
        DateTimeOffset longAgo = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(10); // four total timeouts (20 s each) have passed
        await kiosk.Store.SaveAsync(Creating("NEVER-1", longAgo, DateTimeOffset.UtcNow), Ct);

        await outcomes.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(10));

        Assert.Equal("not_created", Result(Assert.Single(outcomes.GetMeasurementSnapshot())));
        TrackedPayment record = (await kiosk.Store.FindAsync(string.Empty, "NEVER-1", Ct))!;
        Assert.Equal(TrackedPaymentState.NotCreated, record.State);

        Assert.Equal(2, record.NotFound);
        Assert.Empty(kiosk.Books.Recorded);
        Assert.Null(record.NextCheckAt);
    }

    [Fact]
    public async Task A_sale_still_open_past_the_tracking_horizon_is_expired_reported_and_listed_not_dropped()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        await using Kiosk kiosk = await Kiosk.StartAsync(simulator, o =>
        {
            o.TrackingHorizon = TimeSpan.FromMinutes(30);
            o.FirstCheckDelay = TimeSpan.FromMinutes(20); // the reconciler leaves it alone until the test has aged it
        });
        using MetricCollector<long> outcomes = Outcomes(kiosk);
        PaymentIntent created = await kiosk.Client.CreatePaymentAsync(TwoShops.Sale("OLD-1"), Ct);
        TrackedPayment old = (await kiosk.Store.FindAsync(string.Empty, "OLD-1", Ct))!;
        old.CreatedAt -= TimeSpan.FromHours(1);
        old.NextCheckAt = DateTimeOffset.UtcNow;
        await kiosk.Store.SaveAsync(old, Ct);

        await outcomes.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(10));

        Assert.Equal("expired", Result(Assert.Single(outcomes.GetMeasurementSnapshot())));
        TrackedPayment record = Assert.Single(await kiosk.Store.ListOpenAsync(10, Ct), p => p.MerchantOrderId == "OLD-1");
        Assert.Equal(TrackedPaymentState.Expired, record.State);
        Assert.Null(record.NextCheckAt);

        // Its outcome still reaches the books when it arrives.
        await simulator.CompletePaymentAsync(created.OrderId, Ct);
        await kiosk.Client.GetPaymentAsync(PaymentReference.ByOrderId(created.OrderId), Ct);
        Assert.Single(kiosk.Books.For("OLD-1"));
    }

    [Fact]
    public async Task A_payment_created_elsewhere_that_reaches_the_webhook_is_recorded_when_it_arrives()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        await using Kiosk kiosk = await Kiosk.StartAsync(simulator);
        await using (ServiceProvider other = OtherApp(simulator))
        {
            await other.GetRequiredService<IAlipayHkPayClient>().CreatePaymentAsync(TwoShops.Sale("ELSEWHERE-1", kiosk.NotifyUrl), Ct);
        }

        await simulator.CompletePaymentAsync("ELSEWHERE-1", Ct);
        await kiosk.Books.WaitForAsync();

        Assert.Equal(PaymentOutcomeSource.Webhook, Assert.Single(kiosk.Books.For("ELSEWHERE-1")).Source);
        Assert.Equal(TrackedPaymentState.Succeeded, (await kiosk.Store.FindAsync(string.Empty, "ELSEWHERE-1", Ct))!.State);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Replays_of_a_handled_callback_cost_no_gateway_query_whichever_id_they_name(bool merchantOrderIdOnly)
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        await using Kiosk kiosk = await Kiosk.StartAsync(simulator, o => o.FirstCheckDelay = TimeSpan.FromHours(1));
        PaymentIntent created = await kiosk.Client.CreatePaymentAsync(TwoShops.Sale("REPLAY-1", kiosk.NotifyUrl), Ct);
        await simulator.CompletePaymentAsync(created.OrderId, Ct);
        await kiosk.Books.WaitForAsync();
        int queries = simulator.Journal.Count(e => e.Endpoint == SimulatedEndpoint.Query);
        string body = merchantOrderIdOnly
            ? """{"notify_type":"payment_success","data":{"merchant_order_id":"REPLAY-1"}}"""
            : $$$"""{"notify_type":"payment_success","data":{"order_id":"{{{created.OrderId}}}","merchant_order_id":"REPLAY-1"}}""";
        using var http = new HttpClient();

        for (int i = 0; i < 50; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, kiosk.NotifyUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("Signature", WebhookSigning.Sign(body, simulator.WebhookKey));
            using HttpResponseMessage response = await http.SendAsync(request, Ct);
            Assert.Equal(200, (int)response.StatusCode);
        }

        Assert.Equal(queries, simulator.Journal.Count(e => e.Endpoint == SimulatedEndpoint.Query));
        Assert.Single(kiosk.Books.For("REPLAY-1"));
    }

    [Fact]
    public async Task Refund_callbacks_still_go_to_the_webhook_handler()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        var refunds = new List<ConfirmedWebhook>();
        await using Kiosk kiosk = await Kiosk.StartAsync(simulator, webhookHandler: (webhook, _) =>
        {
            refunds.Add(webhook);
            return Task.CompletedTask;
        });
        // The gateway's published refund callback (the webhook test vector's body).
        const string body = """{"notify_type":"refund_success","data":{"uid":39172931,"refund_id":"C34368224017070000","merchant_refund_id":"P2164521756312637123","order_amount":"105.00","create_time":"2023-08-23T18:25:43.511Z","refund_time":"2023-08-23T18:28:16.511Z"}}""";
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, kiosk.NotifyUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Signature", WebhookSigning.Sign(body, simulator.WebhookKey));

        using HttpResponseMessage response = await http.SendAsync(request, Ct);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.NotNull(Assert.Single(refunds).Notification.Refund);
        Assert.Empty(kiosk.Books.Recorded);
    }

    [Fact]
    public async Task Bad_outcome_options_fail_the_start_naming_the_setting()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => Kiosk.StartAsync(simulator, o =>
        {
            o.MaxConcurrentChecks = 0;
            o.MaxCheckInterval = TimeSpan.FromMilliseconds(1);
        }));

        Assert.Contains("AlipayHkPay:Outcomes:MaxConcurrentChecks must be between 1 and 64", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AlipayHkPay:Outcomes:MaxCheckInterval", ex.Message, StringComparison.Ordinal);
    }

    private static TrackedPayment Creating(string merchantOrderId, DateTimeOffset createdAt, DateTimeOffset nextCheckAt) => new()
    {
        MerchantOrderId = merchantOrderId,
        Amount = 12.50m,
        Description = "Two coffees",
        Wallet = AlipayHkWallet.AlipayHk,
        State = TrackedPaymentState.Creating,
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
        NextCheckAt = nextCheckAt,
    };

    /// <summary>Another app of the same merchant, without outcomes: it creates orders the kiosk does not track.</summary>
    private static ServiceProvider OtherApp(AlipayHkGatewaySimulator simulator)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAlipayHkPay(TwoShops.Configure(simulator, null));
        return services.BuildServiceProvider();
    }

    private static MetricCollector<long> Outcomes(Kiosk kiosk) =>
        new(kiosk.Services.GetRequiredService<IMeterFactory>(), AlipayHkPayTelemetry.MeterName, "alipayhk.outcomes");

    private static string? Result(CollectedMeasurement<long> measurement) => (string?)measurement.Tags["alipayhk.outcome.result"];
}
