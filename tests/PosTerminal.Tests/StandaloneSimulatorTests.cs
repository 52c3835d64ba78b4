using System.Text.RegularExpressions;
using AlipayHk.Pay.Simulator.Hosting;
using PosTerminal.Tests.Support;

namespace PosTerminal.Tests;

/// <summary>
/// <c>--simulator-url</c>: the terminal against a standalone simulator already running (the real server app, on a free
/// loopback port), paid the way a person at its dashboard pays: with the control API's pay call.
/// </summary>
public sealed class StandaloneSimulatorTests
{
    [Fact]
    public async Task The_terminal_sells_through_a_running_simulator_and_prints_the_receipt_once_the_dashboard_pays()
    {
        (SimulatorServer? server, string? error, _) = await SimulatorServer.StartAsync(
            ["--urls", "http://127.0.0.1:0"], TextWriter.Null, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" }, TestContext.Current.CancellationToken);
        Assert.True(server is not null, error);
        await using (server)
        {
            using var terminal = new TestTerminal();
            using var dashboard = new HttpClient { BaseAddress = server.BaseAddress };

            Task<int> run = terminal.StartAsync("--simulator-url", server.BaseAddress.AbsoluteUri, "--order-id", "TWO-TERMINALS-1", "--amount", "38.00");
            await terminal.WaitForAsync(TestTerminal.WaitingLine);
            using HttpResponseMessage paid = await dashboard.PostAsync("simulator/api/payments/TWO-TERMINALS-1/pay", null, TestContext.Current.CancellationToken);
            int exitCode = await TestTerminal.FinishAsync(run);

            string output = terminal.Output.Text;
            Assert.True(paid.IsSuccessStatusCode, await paid.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.Equal(ExitCodes.Paid, exitCode);
            Assert.Equal(string.Empty, terminal.Error.Text);
            Assert.Contains($"standalone simulator at {server.BaseAddress}", output);
            Assert.DoesNotContain("[simulator]", output); // No in-process shopper: a person pays on the dashboard.
            Assert.DoesNotContain("Warning", output);
            Assert.Contains("Webhook signature verified, payment confirmed", output);
            string orderId = Regex.Match(output, @"Created gateway order (C\d+): PENDING").Groups[1].Value;
            Assert.Contains($"{server.BaseAddress}simulator/pay/{orderId}", output); // The QR code opens the server's pay page.
            Assert.True(Assert.Single(server.Simulator.CallbackDeliveries).Accepted);
        }
    }

    [Fact]
    public async Task A_simulator_with_a_control_token_is_used_with_the_same_Simulator__ControlToken_and_refused_without_it()
    {
        const string Token = "pos-control-token-51ab7e";
        (SimulatorServer? server, string? error, _) = await SimulatorServer.StartAsync(
            ["--urls", "http://127.0.0.1:0"], TextWriter.Null, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning", ["Simulator:ControlToken"] = Token }, TestContext.Current.CancellationToken);
        Assert.True(server is not null, error);
        await using (server)
        {
            using var refused = new TestTerminal();
            int refusedExit = await TestTerminal.FinishAsync(refused.StartAsync("--simulator-url", server.BaseAddress.AbsoluteUri));

            using var terminal = new TestTerminal(new Dictionary<string, string?> { ["Simulator:ControlToken"] = Token });
            using var dashboard = new HttpClient { BaseAddress = server.BaseAddress };
            dashboard.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
            Task<int> run = terminal.StartAsync("--simulator-url", server.BaseAddress.AbsoluteUri, "--order-id", "TOKEN-TERMINAL-1");
            await terminal.WaitForAsync(TestTerminal.WaitingLine);
            using HttpResponseMessage paid = await dashboard.PostAsync("simulator/api/payments/TOKEN-TERMINAL-1/pay", null, TestContext.Current.CancellationToken);
            int exitCode = await TestTerminal.FinishAsync(run);

            Assert.Equal(ExitCodes.Usage, refusedExit);
            Assert.Equal($"The simulator at {server.BaseAddress} needs its control token: set Simulator__ControlToken here to the token it was started with.", refused.Error.Text.Trim());
            Assert.True(paid.IsSuccessStatusCode);
            Assert.Equal(ExitCodes.Paid, exitCode);
            Assert.DoesNotContain(Token, terminal.Output.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task No_simulator_at_the_url_is_a_clear_error()
    {
        using var terminal = new TestTerminal();
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port; // Closed again at once: nothing listens there.
        }

        int exitCode = await TestTerminal.FinishAsync(terminal.StartAsync("--simulator-url", $"http://127.0.0.1:{port}/"));

        Assert.Equal(ExitCodes.GatewayError, exitCode);
        Assert.StartsWith($"No simulator at http://127.0.0.1:{port}/: ", terminal.Error.Text, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project src/AlipayHk.Pay.Simulator", terminal.Error.Text, StringComparison.Ordinal);
    }
}
