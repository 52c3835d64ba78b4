using System.Diagnostics;
using System.Reflection;
using AlipayHk.Pay.Docs.Tests.Support;
using AlipayHk.Pay.Testing;
using Xunit;

namespace AlipayHk.Pay.Docs.Tests;

/// <summary>The Quickstart (samples/Quickstart, the README's block), run as a program against the simulator, twice.</summary>
public sealed class QuickstartTests
{
    /// <summary>samples/Quickstart's output, in this test's configuration (Release in CI) and framework.</summary>
    private static readonly string QuickstartFolder = Path.Combine(
        Repository.Root,
        "samples",
        "Quickstart",
        "bin",
        typeof(QuickstartTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration,
        Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)));

    [Fact]
    public async Task The_quickstart_is_paid_and_a_second_run_makes_a_new_order()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(new() { AutoPayAfter = TimeSpan.FromMilliseconds(100) }, ct);
        gateway.DeliverCallbacksTo(new AcceptingEndpoint()); // its notify URL (shop.example.com) is not on this machine

        for (int run = 1; run <= 2; run++)
        {
            (int exitCode, string output) = await RunQuickstartAsync(gateway, ct);

            Assert.True(exitCode == 0, $"run {run} exited {exitCode}:\n{output}");
            Assert.Contains("Scan to pay: " + gateway.BaseAddress, output, StringComparison.Ordinal);
            Assert.Contains("Paid, thank you!", output, StringComparison.Ordinal);
        }

        Assert.Equal(2, gateway.Payments.Select(p => p.MerchantOrderId).Distinct().Count());
    }

    private static async Task<(int ExitCode, string Output)> RunQuickstartAsync(AlipayHkGatewaySimulator gateway, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = QuickstartFolder,
        };
        // The Quickstart reads the "AlipayHkPay" section from any configuration source: here the command line.
        foreach (string arg in new[]
        {
            Path.Combine(QuickstartFolder, "Quickstart.dll"),
            $"--AlipayHkPay:BaseAddress={gateway.BaseAddress}",
            $"--AlipayHkPay:Uid={gateway.Uid}",
            $"--AlipayHkPay:ClientSecret={gateway.ClientSecret}",
            "--Logging:LogLevel:Default=Warning",
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(bounded.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }
}
