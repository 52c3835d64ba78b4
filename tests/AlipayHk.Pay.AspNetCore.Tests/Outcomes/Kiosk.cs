using System.Collections.Concurrent;
using AlipayHk.Pay.AspNetCore.Tests.Merchants;
using AlipayHk.Pay.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AlipayHk.Pay.AspNetCore.Tests.Outcomes;

/// <summary>
/// A merchant's app with outcomes on, on Kestrel at 127.0.0.1: the webhook endpoint at <c>/notify</c> (no webhook
/// handler: payments go to the outcome handler), the in-memory payment store, and a fast reconciler on the real clock.
/// Its books (<see cref="Books"/>) are what the outcome handler wrote.
/// </summary>
internal sealed class Kiosk : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Kiosk(WebApplication app, Uri address, Books books)
    {
        _app = app;
        NotifyUrl = new Uri(address, "/notify");
        Books = books;
    }

    internal Uri NotifyUrl { get; }

    internal Books Books { get; }

    internal IServiceProvider Services => _app.Services;

    internal IAlipayHkPayClient Client => _app.Services.GetRequiredService<IAlipayHkPayClient>();

    internal IAlipayHkPayPaymentStore Store => _app.Services.GetRequiredService<IAlipayHkPayPaymentStore>();

    internal static async Task<Kiosk> StartAsync(AlipayHkGatewaySimulator simulator, Action<AlipayHkPayOutcomeOptions>? outcomes = null, Func<ConfirmedWebhook, CancellationToken, Task>? webhookHandler = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        var books = new Books();
        builder.Services.AddSingleton(books);
        builder.Services.AddAlipayHkPay(TwoShops.Configure(simulator, null));
        builder.Services.AddAlipayHkPayOutcomes<BookKeeper>(o =>
        {
            o.FirstCheckDelay = TimeSpan.FromMilliseconds(200);
            o.MinCheckInterval = TimeSpan.FromMilliseconds(50);
            o.MaxCheckInterval = TimeSpan.FromMilliseconds(200);
            o.ScanInterval = TimeSpan.FromMilliseconds(20);
            o.MaxChecksPerSecond = 1000;
            outcomes?.Invoke(o);
        });
        (WebApplication app, Uri address) = await TwoShops.StartAppAsync(builder, app =>
        {
            if (webhookHandler is null)
            {
                app.MapAlipayHkPayWebhook("/notify");
            }
            else
            {
                app.MapAlipayHkPayWebhook("/notify", webhookHandler);
            }
        });
        return new Kiosk(app, address, books);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}

/// <summary>The merchant's books: every outcome its handler recorded, and a way to wait for them.</summary>
internal sealed class Books
{
    private readonly SemaphoreSlim _written = new(0);

    internal ConcurrentQueue<PaymentOutcome> Recorded { get; } = new();

    /// <summary>How many runs of the handler should throw before it records (to test a failing handler).</summary>
    internal int FailuresLeft;

    internal void Record(PaymentOutcome outcome)
    {
        Recorded.Enqueue(outcome);
        _written.Release();
    }

    /// <summary>Waits (at most 10 s, in real time) until the handler has recorded <paramref name="count"/> more outcomes.</summary>
    internal async Task WaitForAsync(int count = 1)
    {
        for (int i = 0; i < count; i++)
        {
            Assert.True(await _written.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken), $"only {i} of {count} outcomes were recorded");
        }
    }

    internal IReadOnlyList<PaymentOutcome> For(string merchantOrderId) => [.. Recorded.Where(o => o.Payment.MerchantOrderId == merchantOrderId)];
}

/// <summary>The outcome handler: a scoped service that writes the books.</summary>
internal sealed class BookKeeper(Books books) : IAlipayHkPayOutcomeHandler
{
    public Task HandleAsync(PaymentOutcome outcome, CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref books.FailuresLeft) >= 0)
        {
            throw new InvalidOperationException("The books are locked (a test's failing handler).");
        }

        books.Record(outcome);
        return Task.CompletedTask;
    }
}
