using System.Data.Common;
using AlipayHk.Pay;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using PosTerminal.Cli;
using PosTerminal.Diagnostics;
using PosTerminal.Hosting;
using PosTerminal.Progress;
using PosTerminal.Sales;

namespace PosTerminal;

/// <summary>
/// The terminal: reads the sale (options or prompts), starts the simulator and the webhook receiver (or, when
/// <c>AlipayHkPay:BaseAddress</c> is configured, only the receiver, against the real gateway), resolves the sales an
/// earlier run left open, and runs the sale (or, with <c>--resume</c>, stops there).
/// </summary>
internal sealed class PosTerminalApp(PosEnvironment environment)
{
    /// <summary>The default address of the webhook receiver against a real gateway.</summary>
    public static readonly Uri DefaultListenUrl = new("http://127.0.0.1:5080");

    /// <summary>The webhook receiver's address with a standalone simulator on this machine: any free loopback port.</summary>
    private static readonly Uri LoopbackAnyPort = new("http://127.0.0.1:0");

    /// <summary>Runs the terminal with command-line arguments.</summary>
    /// <returns>An <see cref="ExitCodes"/> value.</returns>
    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        (PosOptions? parsed, string? error) = PosArguments.Parse(args);
        if (parsed is null)
        {
            environment.Error.WriteLine(error);
            environment.Error.WriteLine("Run with --help for the options.");
            return ExitCodes.Usage;
        }

        if (parsed.ShowHelp)
        {
            environment.Output.WriteLine(PosArguments.Usage);
            return ExitCodes.Paid;
        }

        // No keyboard needed when options are given or standard input is not a terminal (CI, pipes, < /dev/null).
        PosOptions options = !parsed.HasFlags && environment.InputIsInteractive
            ? Prompter.Ask(parsed, environment.Input, environment.Output)
            : parsed;
        return await RunAsync(options, cancellationToken);
    }

    /// <summary>Runs the terminal with options already read.</summary>
    /// <returns>An <see cref="ExitCodes"/> value.</returns>
    public async Task<int> RunAsync(PosOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        IConfiguration configuration = environment.Configuration;
        bool configured = !string.IsNullOrWhiteSpace(configuration[$"{AlipayHkPayOptions.SectionName}:{nameof(AlipayHkPayOptions.BaseAddress)}"]);
        bool real = options.UseRealGateway ?? configured;
        if (real && !configured)
        {
            environment.Error.WriteLine("--real needs the gateway's settings: set AlipayHkPay__BaseAddress, AlipayHkPay__Uid and AlipayHkPay__ClientSecret (or the AlipayHkPay section of appsettings.json).");
            return ExitCodes.Usage;
        }

        if (real && options.DrivesShopper)
        {
            // A configured gateway is used unless --simulator is given: its shopper is a real one, not ours to drive.
            environment.Error.WriteLine($"{PosArguments.ShopperOptionsRefused} against the gateway configured in AlipayHkPay:BaseAddress (add --simulator to use the simulator).");
            return ExitCodes.Usage;
        }

        if (real && options.Fault is { } refused)
        {
            environment.Error.WriteLine($"--fault {refused.Name()} injects faults into the simulator: it cannot be used against the configured gateway. Add --simulator to run it on the simulator.");
            return ExitCodes.Usage;
        }

        bool embedded = options.SimulatorUrl is null && !real;
        if (embedded && (options.SalesDb is not null || options.Resume))
        {
            environment.Error.WriteLine($"{(options.Resume ? "--resume resolves the sales an earlier run left open" : "--sales-db keeps the sales across runs")}, but the embedded simulator forgets its orders when the terminal exits. Use --simulator-url (a standalone simulator) or a configured gateway.");
            return ExitCodes.Usage;
        }

        // The sales are kept beside the settings (appsettings.json), unless --sales-db says where.
        string salesFile = options.SalesDb ?? Path.Combine(environment.SettingsDirectory, SalesDatabase.DefaultFileName);
        SalesDatabase sales;
        try
        {
            sales = embedded ? SalesDatabase.InMemory() : SalesDatabase.File(salesFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            environment.Error.WriteLine($"The sales database {salesFile} cannot be used: {ex.Message}");
            return ExitCodes.Usage;
        }

        await using (sales)
        {
            return await RunAsync(options, configuration, real, sales, cancellationToken);
        }
    }

    private async Task<int> RunAsync(PosOptions options, IConfiguration configuration, bool real, SalesDatabase sales, CancellationToken cancellationToken)
    {
        // One writer for every line while the sale runs: the flow's, and the simulator's account of what it serves.
        var status = new StatusLine(environment.Output, environment.OutputIsTerminal, environment.Time);
        TerminalHost host;
        try
        {
            // --resume takes no payment, so no webhook: its receiver listens on any free loopback port.
            Uri? listen = options.Resume ? LoopbackAnyPort : options.ListenUrl;
            host = options.SimulatorUrl is { } simulatorUrl
                ? await TerminalHost.StartRealAsync(
                    await StandaloneSimulator.ConfigurationAsync(simulatorUrl, configuration, cancellationToken), listen ?? LoopbackAnyPort, publicNotifyUrl: null, sales, cancellationToken)
                : real ? await StartRealAsync(options, listen, configuration, sales, cancellationToken) : await TerminalHost.StartSimulatedAsync(sales, cancellationToken, options.Fault, status.Say);
        }
        catch (HttpRequestException ex) when (options.SimulatorUrl is not null && ex.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            environment.Error.WriteLine($"The simulator at {options.SimulatorUrl} needs its control token: set Simulator__ControlToken here to the token it was started with.");
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (options.SimulatorUrl is not null
            && (ex is HttpRequestException or InvalidOperationException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)))
        {
            environment.Error.WriteLine($"No simulator at {options.SimulatorUrl}: {ex.Message} Start one with: dotnet run --project src/AlipayHk.Pay.Simulator");
            return ExitCodes.GatewayError;
        }
        catch (OptionsValidationException ex)
        {
            environment.Error.WriteLine($"The AlipayHkPay settings are incomplete: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (UriFormatException ex)
        {
            environment.Error.WriteLine($"A URL in the PosTerminal settings is not valid: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (SqliteException ex)
        {
            environment.Error.WriteLine($"The sales database {sales} cannot be opened: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (IOException ex)
        {
            environment.Error.WriteLine($"The webhook receiver could not start: {ex.Message}");
            return ExitCodes.GatewayError;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Interrupted;
        }

        int exitCode;
        using SaleTrace? trace = options.Trace ? SaleTrace.Start() : null; // Once the receiver and the simulator run: only the sale is in it.
        await using (host)
        {
            environment.Output.WriteLine(host.Simulator is { } simulator
                ? $"Alipay HK POS terminal: simulated gateway at {simulator.BaseAddress} (no credentials needed)."
                : options.SimulatorUrl is { } standalone
                    ? $"Alipay HK POS terminal: standalone simulator at {standalone} (pay on its dashboard, {standalone})."
                    : $"Alipay HK POS terminal: gateway at {configuration["AlipayHkPay:BaseAddress"]}.");
            if (!options.Resume)
            {
                environment.Output.WriteLine($"Webhook receiver listening at {host.ReceiverAddress}; notify URL {host.NotifyUrl}");
                if (host.Simulator is null && options.SimulatorUrl is null && (host.NotifyUrl.IsLoopback || host.NotifyUrl.Host == "0.0.0.0"))
                {
                    environment.Output.WriteLine("Warning: the notify URL is this machine's own address; a remote gateway cannot reach it. Set PosTerminal__PublicNotifyUrl or --notify-url.");
                }
            }

            if (sales.Path is { } salesFile)
            {
                environment.Output.WriteLine($"Sales book: {salesFile}");
            }

            // Before anything new: the sales an earlier run left open, and every outcome not shown yet.
            RecoveryReport recovered;
            try
            {
                recovered = await new SaleRecovery(host, environment.Output, environment.WallClock).RunAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                environment.Error.WriteLine("Stopped while resolving the sales left open; the next start resolves them.");
                return ExitCodes.Interrupted;
            }
            catch (Exception ex) when (ex is DbException or DbUpdateException)
            {
                environment.Error.WriteLine($"The sales database {sales} cannot be read: {ex.Message}");
                return ExitCodes.GatewayError;
            }

            if (options.Resume)
            {
                environment.Output.WriteLine(recovered.Empty
                    ? "No sale left open by an earlier run."
                    : $"Resumed: {recovered.Paid} paid (receipt printed), {recovered.Cancelled} cancelled, {recovered.StillOpen + recovered.Unanswered} still open.");
                exitCode = recovered.Unanswered > 0 ? ExitCodes.GatewayError : ExitCodes.Paid;
            }
            else
            {
                if (host.Simulator is { } faulty && options.Fault is { } fault)
                {
                    status.Say($"Fault injected (--fault {fault.Name()}): {FaultInjection.Inject(fault, faulty)}");
                }

                exitCode = await new PosFlow(environment, host, status).RunAsync(options, cancellationToken);
            }
        }

        trace?.Print(environment.Output); // The receiver and the simulator have stopped: every span of the sale has ended.
        return exitCode;
    }

    private static Task<TerminalHost> StartRealAsync(PosOptions options, Uri? listenUrl, IConfiguration configuration, SalesDatabase sales, CancellationToken cancellationToken)
    {
        Uri listen = listenUrl ?? UrlSetting(configuration, "PosTerminal:ListenUrl") ?? DefaultListenUrl;
        Uri? notify = options.NotifyUrl ?? UrlSetting(configuration, "PosTerminal:PublicNotifyUrl");
        return TerminalHost.StartRealAsync(configuration, listen, notify, sales, cancellationToken);
    }

    private static Uri? UrlSetting(IConfiguration configuration, string key) =>
        configuration[key] is { Length: > 0 } text ? new Uri(text, UriKind.Absolute) : null;
}
