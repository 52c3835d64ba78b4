using System.Collections.Concurrent;
using System.Net;
using AlipayHk.Pay;
using AlipayHk.Pay.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace AlipayHk.Pay.Docs.Tests.WebApp;

/// <summary>
/// The README's web app and its "Going live" redirect rule, run in a TestServer against the simulator: the app's own
/// pages redirect to HTTPS, the notify path does not, and the paid outcome reaches <see cref="RecordPayment"/> once.
/// </summary>
public sealed class WebAppTests
{
    private const string NotifyPath = "/payments/alipayhk/notify";

    [Fact]
    public async Task With_https_redirection_kept_off_the_notify_path_the_callback_is_accepted_and_recorded_once()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: ct);
        var logs = new RecordingLoggerProvider();
        await using WebApplication app = BuildApp(gateway, logs, goingLive: true);
        await app.StartAsync(ct);
        gateway.DeliverCallbacksTo(app.GetTestServer().CreateHandler());
        HttpClient http = app.GetTestServer().CreateClient();

        HttpResponseMessage page = await http.GetAsync("/", ct);
        PaymentIntent payment = await CreateAsync(app, "WEB-1", ct);
        await gateway.CompletePaymentAsync(payment.OrderId, ct);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, page.StatusCode); // the rest of the app still goes to HTTPS
        gateway.CallbackDeliveries.Single().EnsureAccepted();
        Assert.Single(logs.Messages, m => m.StartsWith("Order WEB-1 is Succeeded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_https_redirection_everywhere_the_callback_is_redirected_and_not_received()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: ct);
        var logs = new RecordingLoggerProvider();
        await using WebApplication app = BuildApp(gateway, logs, goingLive: false);
        await app.StartAsync(ct);
        gateway.DeliverCallbacksTo(app.GetTestServer().CreateHandler());

        PaymentIntent payment = await CreateAsync(app, "WEB-2", ct);
        await gateway.CompletePaymentAsync(payment.OrderId, ct);

        CallbackDelivery delivery = gateway.CallbackDeliveries.Single();
        Assert.Equal(307, delivery.StatusCode);
        Assert.Contains("does not follow redirects", delivery.Diagnosis, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Messages, m => m.StartsWith("Order WEB-2", StringComparison.Ordinal));
    }

    private static WebApplication BuildApp(AlipayHkGatewaySimulator gateway, RecordingLoggerProvider logs, bool goingLive)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.AddProvider(logs);
        builder.Services.AddHttpsRedirection(options => options.HttpsPort = 443); // what an app with an https profile has
        builder.Services.AddAlipayHkPay(gateway.ConfigureClient);
        builder.Services.AddAlipayHkPayOutcomes<RecordPayment>();
        WebApplication app = builder.Build();
        if (goingLive)
        {
            WebApp.GoingLive(app);
        }
        else
        {
            app.UseHttpsRedirection(); // as `dotnet new webapp` leaves it
        }

        app.MapGet("/", () => "the till's page");
        app.MapAlipayHkPayWebhook(NotifyPath);
        return app;
    }

    private static Task<PaymentIntent> CreateAsync(WebApplication app, string merchantOrderId, CancellationToken ct) =>
        app.Services.GetRequiredService<IAlipayHkPayClient>().CreatePaymentAsync(new CreatePaymentRequest
        {
            Amount = 38.00m,
            MerchantOrderId = merchantOrderId,
            Description = "Milk tea x2",
            Wallet = AlipayHkWallet.AlipayHk,
            NotifyUrl = new Uri("http://localhost" + NotifyPath), // a TestServer routes by path
        }, ct);

    private sealed class RecordingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) =>
            categoryName == typeof(RecordPayment).FullName ? new Recorder(Messages) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void Dispose()
        {
        }

        private sealed class Recorder(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue(formatter(state, exception));
        }
    }
}
