using System.Collections.Concurrent;
using System.Diagnostics;
using AlipayHk.Pay.AspNetCore.Tests.Merchants;
using AlipayHk.Pay.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.AspNetCore.Tests.Completion;

/// <summary>
/// A confirmed webhook ends every wait on its payment at once, in-process, with nothing configured; polling stays the
/// backstop. The polls here are a minute apart, so a wait that returns in time was woken by the webhook.
/// </summary>
public sealed class WebhookWakesWaitsTests
{
    private static readonly TimeSpan SlowPolls = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Every_wait_on_a_payment_returns_as_soon_as_its_webhook_is_confirmed()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        await using Shop shop = await Shop.StartAsync(simulator, merchant: null);
        IAlipayHkPayClient client = shop.Client;
        PaymentIntent created = await client.CreatePaymentAsync(TwoShops.Sale("WAKE-1", shop.NotifyUrl), Ct);
        Task<PaymentIntent>[] waits =
        [
            client.WaitForCompletionAsync(PaymentReference.ByOrderId(created.OrderId), TimeSpan.FromMinutes(5), Ct),
            client.WaitForCompletionAsync(PaymentReference.ByOrderId(created.OrderId), TimeSpan.FromMinutes(5), Ct),
            client.WaitForCompletionAsync(PaymentReference.ByMerchantOrderId("WAKE-1"), TimeSpan.FromMinutes(5), Ct),
        ];
        await shop.WaitForFirstQueriesAsync(simulator, created.OrderId, waits.Length);

        await simulator.CompletePaymentAsync(created.OrderId, Ct);
        PaymentIntent[] outcomes = await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        long woken = Stopwatch.GetTimestamp();

        Assert.All(outcomes, o => Assert.Equal((created.OrderId, PaymentStatus.Succeeded), (o.OrderId, o.Status)));
        TimeSpan afterCallback = Stopwatch.GetElapsedTime(shop.CallbackArrivedAt!.Value, woken);
        Assert.True(afterCallback < TimeSpan.FromSeconds(1), $"woken {afterCallback.TotalMilliseconds:0} ms after the callback arrived");
        // One query per wait to start with, one by the webhook to confirm it; none after.
        Assert.Equal(waits.Length + 1, Queries(simulator, created.OrderId, "WAKE-1"));
    }

    [Fact]
    public async Task A_named_merchants_webhook_wakes_its_own_waits_and_not_another_merchants()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        await using Shop shop = await Shop.StartAsync(simulator, merchant: TwoShops.B);
        PaymentIntent created = await shop.Client.CreatePaymentAsync(TwoShops.Sale("WAKE-B", shop.NotifyUrl), Ct);
        var signals = shop.Services.GetRequiredService<IAlipayHkPayCompletionSignals>();
        var heardByOther = new ConcurrentBag<PaymentIntent>();
        using IDisposable other = signals.Subscribe(TwoShops.A, PaymentReference.ByOrderId(created.OrderId), heardByOther.Add);
        using IDisposable unnamed = signals.Subscribe(null, PaymentReference.ByOrderId(created.OrderId), heardByOther.Add);
        Task<PaymentIntent> wait = shop.Client.WaitForCompletionAsync(PaymentReference.ByOrderId(created.OrderId), TimeSpan.FromMinutes(5), Ct);
        await shop.WaitForFirstQueriesAsync(simulator, created.OrderId, 1);

        await simulator.CompletePaymentAsync(created.OrderId, Ct);

        Assert.Equal(PaymentStatus.Succeeded, (await wait.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Status);
        Assert.Empty(heardByOther);
    }

    [Fact]
    public async Task A_redelivery_of_an_outcome_already_handled_costs_no_gateway_query()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        await using Shop shop = await Shop.StartAsync(simulator, merchant: TwoShops.A);
        PaymentIntent created = await shop.Client.CreatePaymentAsync(TwoShops.Sale("DUP-1", shop.NotifyUrl), Ct);
        await simulator.CompletePaymentAsync(created.OrderId, Ct);
        int queriesAfterFirst = Queries(simulator, created.OrderId);

        CallbackDelivery again = await simulator.RedeliverCallbackAsync(created.OrderId, Ct);
        CallbackDelivery third = await simulator.RedeliverCallbackAsync(created.OrderId, Ct);

        Assert.Equal((200, 200), (again.StatusCode, third.StatusCode));
        Assert.Equal(1, queriesAfterFirst); // the first delivery's confirmation
        Assert.Equal(queriesAfterFirst, Queries(simulator, created.OrderId));
        Assert.Single(shop.Handled);
    }

    [Fact]
    public async Task Without_a_webhook_the_wait_still_ends_by_polling()
    {
        await using AlipayHkGatewaySimulator simulator = await TwoShops.StartSimulatorAsync();
        await using Shop shop = await Shop.StartAsync(simulator, merchant: null, pollEvery: TimeSpan.FromMilliseconds(20));
        PaymentIntent created = await shop.Client.CreatePaymentAsync(TwoShops.Sale("POLL-1"), Ct); // no notify_url
        Task<PaymentIntent> wait = shop.Client.WaitForCompletionAsync(PaymentReference.ByOrderId(created.OrderId), TimeSpan.FromMinutes(1), Ct);
        await shop.WaitForFirstQueriesAsync(simulator, created.OrderId, 1);

        await simulator.CompletePaymentAsync(created.OrderId, Ct);

        Assert.Equal(PaymentStatus.Succeeded, (await wait.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Status);
        Assert.Empty(shop.Handled);
    }

    /// <summary>The queries the gateway answered about a payment, by either of its ids.</summary>
    private static int Queries(AlipayHkGatewaySimulator simulator, string orderId, string? merchantOrderId = null) =>
        simulator.Journal.Count(e => e.Endpoint == SimulatedEndpoint.Query
            && (e.Body.Contains(orderId, StringComparison.Ordinal) || (merchantOrderId is not null && e.Body.Contains(merchantOrderId, StringComparison.Ordinal))));

    /// <summary>An app of one merchant (default or named) with its webhook endpoint at <c>/notify</c>; it notes when a callback arrives.</summary>
    private sealed class Shop : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly string? _merchant;
        private long _callbackArrivedAt;

        private Shop(WebApplication app, Uri address, string? merchant, SemaphoreSlim queriesAnswered)
        {
            _queriesAnswered = queriesAnswered;
            _app = app;
            _merchant = merchant;
            NotifyUrl = new Uri(address, "/notify");
        }

        internal Uri NotifyUrl { get; }

        internal ConcurrentQueue<ConfirmedWebhook> Handled { get; } = new();

        internal IServiceProvider Services => _app.Services;

        internal IAlipayHkPayClient Client => _merchant is null
            ? _app.Services.GetRequiredService<IAlipayHkPayClient>()
            : _app.Services.GetRequiredKeyedService<IAlipayHkPayClient>(_merchant);

        internal long? CallbackArrivedAt => Interlocked.Read(ref _callbackArrivedAt) is var at and not 0 ? at : null;

        internal static async Task<Shop> StartAsync(AlipayHkGatewaySimulator simulator, string? merchant, TimeSpan? pollEvery = null)
        {
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            void Configure(AlipayHkPayOptions options)
            {
                TwoShops.Configure(simulator, merchant)(options);
                options.PollInitialDelay = pollEvery ?? SlowPolls;
                options.PollMaxDelay = pollEvery ?? SlowPolls;
            }

            if (merchant is null)
            {
                builder.Services.AddAlipayHkPay(Configure);
            }
            else
            {
                builder.Services.AddAlipayHkPay(merchant, Configure);
            }

            Shop? shop = null;
            var answered = new SemaphoreSlim(0);
            TwoShops.CountQueries(builder.Services, merchant, answered);
            (WebApplication app, Uri address) = await TwoShops.StartAppAsync(builder, app =>
            {
                app.Use((context, next) =>
                {
                    Interlocked.CompareExchange(ref shop!._callbackArrivedAt, Stopwatch.GetTimestamp(), 0);
                    return next(context);
                });
                Func<ConfirmedWebhook, CancellationToken, Task> handler = (webhook, _) =>
                {
                    shop!.Handled.Enqueue(webhook);
                    return Task.CompletedTask;
                };
                if (merchant is null)
                {
                    app.MapAlipayHkPayWebhook("/notify", handler);
                }
                else
                {
                    app.MapAlipayHkPayWebhook("/notify", merchant, handler);
                }
            });
            shop = new Shop(app, address, merchant, answered);
            return shop;
        }

        /// <summary>Waits (bounded) until <paramref name="count"/> queries were answered: each wait's first.</summary>
        internal async Task WaitForFirstQueriesAsync(AlipayHkGatewaySimulator simulator, string orderId, int count)
        {
            for (int i = 0; i < count; i++)
            {
                Assert.True(await _queriesAnswered.WaitAsync(TimeSpan.FromSeconds(10), Ct), $"only {i} of {count} first queries of order {orderId} answered");
            }
        }

        private readonly SemaphoreSlim _queriesAnswered;

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }
}
