using System.Net;
using AlipayHk.Pay.Simulator.Cli;
using AlipayHk.Pay.Simulator.ControlApi;
using AlipayHk.Pay.Simulator.Dashboard;
using AlipayHk.Pay.Simulator.Security;
using AlipayHk.Pay.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.Simulator.Hosting;

/// <summary>
/// The standalone server: one Kestrel app that serves the simulator of <c>AlipayHk.Pay.Testing</c> (the gateway's API
/// and pay page, through <see cref="AlipayHkGatewaySimulator"/> itself), the control API and the dashboard.
/// </summary>
internal sealed class SimulatorServer : IAsyncDisposable
{
    /// <summary>How many journal entries a long-running server keeps.</summary>
    public const int JournalCapacity = 1000;

    /// <summary>The exit code for bad options or settings.</summary>
    public const int UsageExitCode = 64;

    private readonly WebApplication _app;
    private Task? _simulatorStopped;

    private SimulatorServer(WebApplication app, AlipayHkGatewaySimulator simulator)
    {
        _app = app;
        Simulator = simulator;
    }

    /// <summary>Where the server listens, as Kestrel reports it (a free port resolved).</summary>
    public IReadOnlyList<Uri> ListeningAddresses { get; private set; } = [];

    /// <summary>The simulator the server hosts.</summary>
    public AlipayHkGatewaySimulator Simulator { get; }

    /// <summary>Where clients reach the gateway, the dashboard (<c>/</c>) and the control API (<c>/simulator/api</c>).</summary>
    public Uri BaseAddress => Simulator.BaseAddress;

    /// <summary>
    /// Starts the server with command-line <paramref name="args"/> (see <see cref="SimulatorArguments.Usage"/>), on top of
    /// environment variables and <paramref name="configuration"/> (for tests: logging levels). Prints the banner to
    /// <paramref name="output"/>.
    /// </summary>
    /// <returns>
    /// The running server, or the error that prevented the start and the exit code it means: 64 for bad settings (the
    /// message names the flag), 1 when the server could not listen.
    /// </returns>
    public static async Task<(SimulatorServer? Server, string? Error, int ExitCode)> StartAsync(
        IReadOnlyList<string> args,
        TextWriter output,
        IReadOnlyDictionary<string, string?>? configuration,
        CancellationToken cancellationToken)
    {
        (Dictionary<string, string?> flags, _, string? usageError) = SimulatorArguments.Parse(args);
        if (usageError is not null)
        {
            return (null, usageError, UsageExitCode);
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SimulatorServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft"] = "Warning",
        });
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddInMemoryCollection(configuration ?? new Dictionary<string, string?>());
        builder.Configuration.AddInMemoryCollection(flags);

        (SimulatorSettings? settings, string? error) = SimulatorSettings.Read(builder.Configuration, flags);
        if (settings is null)
        {
            return (null, error, UsageExitCode);
        }

        builder.WebHost.UseUrls(settings.Urls).ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.Configure<JsonOptions>(json => ControlJson.Configure(json.SerializerOptions));

        WebApplication app = builder.Build();
        AlipayHkGatewaySimulator simulator;
        try
        {
            settings.Options.LoggerFactory = app.Services.GetRequiredService<ILoggerFactory>();
            simulator = AlipayHkGatewaySimulator.CreateHosted(settings.Options);
        }
        catch (ArgumentException ex)
        {
            await app.DisposeAsync();
            return (null, ex.Message, UsageExitCode);
        }

        simulator.JournalCapacity = JournalCapacity;
        var server = new SimulatorServer(app, simulator);
        var attached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IHostApplicationLifetime lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();

        // Stopping (Ctrl+C, SIGTERM, dispose) first stops the simulator's own work, so that a held-back answer (a
        // Timeout fault) or a pending retry does not hold the shutdown up.
        lifetime.ApplicationStopping.Register(() => server._simulatorStopped ??= simulator.DisposeAsync().AsTask());

        // Before anything answers: the Host, the Origin, the control token, JSON for a control call.
        app.Use(new RequestGuard(new AllowedHosts(settings.Urls, settings.PublicUrl), settings.ControlToken).InvokeAsync);
        app.MapControlApi(simulator, lifetime);
        app.MapDashboard(settings.ControlToken);

        // Everything else is the gateway: its three endpoints, the pay page, and a journaled 404 for any other path.
        app.MapFallback("{**path}", async (HttpContext context) =>
        {
            await attached.Task.WaitAsync(context.RequestAborted);
            await simulator.HandleAsync(context);
        });

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            await server.DisposeAsync();
            return (null, ex is OperationCanceledException ? "Stopped before it started." : $"Could not listen on {string.Join(", ", settings.Urls)}: {ex.Message}", 1);
        }

        string[] addresses = [.. app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses];
        server.ListeningAddresses = [.. addresses.Select(address => new Uri(address))];
        Uri baseAddress = settings.PublicUrl ?? Reachable(new Uri(addresses[0]));
        simulator.AttachToHost(baseAddress, "/");
        attached.TrySetResult();
        Banner.Write(output, simulator, addresses, settings);
        return (server, null, 0);
    }

    /// <summary>Waits until the server is asked to stop: Ctrl+C, SIGTERM, or <paramref name="cancellationToken"/>.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops the simulator's background work, then the server.</summary>
    public async ValueTask DisposeAsync()
    {
        _simulatorStopped ??= Simulator.DisposeAsync().AsTask();
        await _simulatorStopped;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(timeout.Token);
        }

        await _app.DisposeAsync();
    }

    /// <summary>A listening address that a client on this machine can use: a wildcard host becomes this machine's name.</summary>
    private static Uri Reachable(Uri listening)
    {
        if (listening.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*")
        {
            return new UriBuilder(listening) { Host = Dns.GetHostName() }.Uri;
        }

        return listening;
    }
}
