using AlipayHk.Pay;
using AlipayHk.Pay.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PosTerminal.Cli;
using PosTerminal.Sales;

namespace PosTerminal.Hosting;

/// <summary>
/// What the terminal runs on: its webhook receiver (a small ASP.NET Core app with the AspNetCore package's endpoint),
/// the SDK client registered in that app, with outcomes on (each payment tracked in the sales database, each outcome
/// booked once), and, unless a real gateway is configured, the gateway simulator.
/// </summary>
internal sealed class TerminalHost : IAsyncDisposable
{
    /// <summary>The path of the webhook endpoint, the <c>notify_url</c>'s path.</summary>
    public const string WebhookPath = "/alipayhk/notify";

    private readonly WebApplication _receiver;

    private TerminalHost(WebApplication receiver, WebhookWatch webhooks, Uri receiverAddress, AlipayHkGatewaySimulator? simulator, Uri notifyUrl)
    {
        _receiver = receiver;
        Webhooks = webhooks;
        ReceiverAddress = receiverAddress;
        Simulator = simulator;
        NotifyUrl = notifyUrl;
        Client = receiver.Services.GetRequiredService<IAlipayHkPayClient>();
        Signals = receiver.Services.GetRequiredService<IAlipayHkPayCompletionSignals>();
        Sales = new SalesBook(receiver.Services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System);
    }

    /// <summary>The orders a verified webhook reached the receiver for, even one the SDK found handled already.</summary>
    public WebhookWatch Webhooks { get; }

    /// <summary>The receiver's services: the SDK's, and the sales database's.</summary>
    public IServiceProvider Services => _receiver.Services;

    /// <summary>The terminal's book of sales, in the sales database.</summary>
    public SalesBook Sales { get; }

    /// <summary>The SDK client, from the receiver's services (the same options verify the webhooks).</summary>
    public IAlipayHkPayClient Client { get; }

    /// <summary>The in-process simulator, or <see langword="null"/> against a real gateway.</summary>
    public AlipayHkGatewaySimulator? Simulator { get; }

    /// <summary>
    /// The SDK's completion signals: the webhook endpoint announces each payment it confirmed final there, which ends
    /// <see cref="IAlipayHkPayClient.WaitForCompletionAsync"/> at once; the terminal listens too, to tell how it learnt of the payment.
    /// </summary>
    public IAlipayHkPayCompletionSignals Signals { get; }

    /// <summary>Where the receiver listens.</summary>
    public Uri ReceiverAddress { get; }

    /// <summary>The <c>notify_url</c> sent with each create.</summary>
    public Uri NotifyUrl { get; }

    /// <summary>
    /// Starts the simulator on loopback, and the receiver on a free loopback port, wired to it. With
    /// <paramref name="fault"/>, the simulator is set to inject it (and says through <paramref name="say"/> what it serves).
    /// </summary>
    public static async Task<TerminalHost> StartSimulatedAsync(SalesDatabase sales, CancellationToken cancellationToken, SimulatedGatewayFault? fault = null, Action<string>? say = null)
    {
        var simulatorOptions = new AlipayHkGatewaySimulatorOptions();
        if (fault is not null)
        {
            FaultInjection.ConfigureSimulator(simulatorOptions, say ?? (_ => { }));
        }

        AlipayHkGatewaySimulator simulator = await AlipayHkGatewaySimulator.StartAsync(simulatorOptions, cancellationToken);
        try
        {
            (WebApplication receiver, WebhookWatch webhooks, Uri address) = await StartReceiverAsync(
                new Uri("http://127.0.0.1:0"),
                sales,
                services => services.AddAlipayHkPay(options =>
                {
                    simulator.ConfigureClient(options); // BaseAddress, Uid, ClientSecret, WebhookKey, signature header.
                    options.PollInitialDelay = TimeSpan.FromMilliseconds(250); // A local simulator: poll briskly.
                    options.PollMaxDelay = TimeSpan.FromSeconds(1);
                    if (fault is { } injected)
                    {
                        FaultInjection.ConfigureClient(injected, options);
                    }
                }),
                cancellationToken);
            return new TerminalHost(receiver, webhooks, address, simulator, new Uri(address, WebhookPath));
        }
        catch
        {
            await simulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts the receiver on <paramref name="listenUrl"/>, with the SDK bound to the <c>AlipayHkPay</c> section of
    /// <paramref name="configuration"/>. The gateway posts to <paramref name="publicNotifyUrl"/>, or, when that is
    /// <see langword="null"/>, to the receiver's own address (reachable only by a gateway on this machine).
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The <c>AlipayHkPay</c> settings are incomplete.</exception>
    public static async Task<TerminalHost> StartRealAsync(IConfiguration configuration, Uri listenUrl, Uri? publicNotifyUrl, SalesDatabase sales, CancellationToken cancellationToken)
    {
        (WebApplication receiver, WebhookWatch webhooks, Uri address) = await StartReceiverAsync(listenUrl, sales, services => services.AddAlipayHkPay(configuration), cancellationToken);
        Uri notifyUrl = publicNotifyUrl is null ? new Uri(address, WebhookPath)
            : publicNotifyUrl.AbsolutePath == "/" ? new Uri(publicNotifyUrl, WebhookPath)
            : publicNotifyUrl;
        return new TerminalHost(receiver, webhooks, address, simulator: null, notifyUrl);
    }

    /// <summary>Stops the receiver (letting a webhook in flight finish), then the simulator.</summary>
    public async ValueTask DisposeAsync()
    {
        using (var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _receiver.StopAsync(stopTimeout.Token);
        }

        await _receiver.DisposeAsync();
        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }
    }

    private static async Task<(WebApplication App, WebhookWatch Webhooks, Uri Address)> StartReceiverAsync(
        Uri listenUrl, SalesDatabase sales, Action<IServiceCollection> addSdk, CancellationToken cancellationToken)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(TerminalHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders(); // The terminal's own output says what happens; the SDK logs nothing here.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.UseUrls(listenUrl.GetLeftPart(UriPartial.Authority));
        addSdk(builder.Services);
        sales.Register(builder.Services);

        WebApplication app = builder.Build();
        var webhooks = new WebhookWatch();
        webhooks.Watch(app, WebhookPath);
        // Nothing to do per callback here: once the endpoint has confirmed a payment final, the SDK runs the outcome
        // handler (RecordSale books the sale) and ends the terminal's wait itself (IAlipayHkPayCompletionSignals).
        app.MapAlipayHkPayWebhook(WebhookPath, static (_, _) => Task.CompletedTask);
        try
        {
            await SalesDatabase.CreateTablesAsync(app.Services, cancellationToken);
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return (app, webhooks, new Uri(address));
    }
}
