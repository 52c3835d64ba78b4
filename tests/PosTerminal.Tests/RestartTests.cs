using System.Text.RegularExpressions;
using AlipayHk.Pay.Simulator.Hosting;
using PosTerminal.Tests.Support;

namespace PosTerminal.Tests;

/// <summary>
/// Issue 15, part 6: the terminal survives a restart. A terminal (its own process) is killed with SIGKILL while it
/// waits for the shopper, against a standalone simulator (the real server app, on a free loopback port); the shopper
/// pays, or gives up, on the simulator's control API while the terminal is down; the next start finds the sale open in
/// the SDK's payment store (its SQLite sales database) and resolves it.
/// </summary>
public sealed class RestartTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pos-restart-tests", Guid.NewGuid().ToString("N"));
    private SimulatorServer? _simulator;
    private HttpClient? _control;

    private SimulatorServer Simulator => _simulator!;

    /// <summary>The sales database every terminal of the test shares: the same file across restarts.</summary>
    private string SalesDb => Path.Combine(_folder, "pos-sales.db");

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        (SimulatorServer? server, string? error, _) = await SimulatorServer.StartAsync(
            ["--urls", "http://127.0.0.1:0"], TextWriter.Null, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" }, TestContext.Current.CancellationToken);
        Assert.True(server is not null, error);
        _simulator = server;
        _control = new HttpClient { BaseAddress = server.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _control?.Dispose();
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_sale_killed_while_waiting_and_paid_meanwhile_is_printed_once_by_resume_marked_recovered()
    {
        await KilledWhileWaitingAsync("--order-id", "KILLED-PAID-1", "--amount", "12.50", "--description", "Egg tart x3");

        // Not paid yet: resume says the sale is still open, and exits 0.
        (int pendingExit, string pending, string pendingError) = await ResumeAsync();
        await ControlAsync("KILLED-PAID-1", "pay"); // The shopper pays while the terminal is down.
        (int exitCode, string output, string error) = await ResumeAsync();
        (int againExit, string again, _) = await ResumeAsync();

        Assert.Equal(ExitCodes.Paid, pendingExit);
        Assert.Equal(string.Empty, pendingError);
        Assert.Contains("Checking 1 sale left open by an earlier run…", pending);
        Assert.Matches(@"Still open: merchant order KILLED-PAID-1 \(order C\d+\), HKD 12\.50 for ""Egg tart x3"", started \d+ s ago: PENDING at the gateway\. The next start checks it again\.", pending);
        Assert.Contains("Resumed: 0 paid (receipt printed), 0 cancelled, 1 still open.", pending);
        Assert.DoesNotContain("RECEIPT", pending);

        Assert.Equal(ExitCodes.Paid, exitCode);
        Assert.Equal(string.Empty, error);
        Assert.Contains($"Sales book: {SalesDb}", output);
        Assert.DoesNotContain("Creating a payment", output); // --resume starts no sale.
        Assert.Single(Regex.Matches(output, "RECEIPT"));
        string receipt = output[output.IndexOf("RECEIPT (RECOVERED)", StringComparison.Ordinal)..];
        Assert.Matches(@"Egg tart x3\s+HKD 12\.50", receipt);
        Assert.Matches(@"Merchant order\s+KILLED-PAID-1", receipt);
        Assert.Matches(@"Paid at\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00", receipt);
        Assert.Matches(@"Learned by\s+query at start, \d+\.\d{3} s after payment", receipt);
        Assert.Contains("Recovered: an earlier run left this sale open.", receipt);
        Assert.Contains("Resumed: 1 paid (receipt printed), 0 cancelled, 0 still open.", output);

        Assert.Equal(ExitCodes.Paid, againExit);
        Assert.DoesNotContain("RECEIPT", again);
        Assert.Contains("No sale left open by an earlier run.", again);
    }

    [Fact]
    public async Task A_sale_killed_while_waiting_and_cancelled_meanwhile_gets_its_line_from_resume()
    {
        await KilledWhileWaitingAsync("--order-id", "KILLED-CANCEL-1");
        await ControlAsync("KILLED-CANCEL-1", "cancel"); // The shopper gives up; the order is closed.

        using var terminal = new TestTerminal(); // The next start may as well run in-process: only the file is shared.
        int exitCode = await TestTerminal.FinishAsync(terminal.StartAsync("--simulator-url", Simulator.BaseAddress.AbsoluteUri, "--sales-db", SalesDb, "--resume"));
        (int againExit, string again, _) = await ResumeAsync();

        Assert.Equal(ExitCodes.Paid, exitCode);
        Assert.Matches(@"Cancelled: merchant order KILLED-CANCEL-1 \(order C\d+\), HKD 38\.00 for ""Milk tea x2"", was closed without payment\. The shopper was not charged\.", terminal.Output.Text);
        Assert.Contains("Resumed: 0 paid (receipt printed), 1 cancelled, 0 still open.", terminal.Output.Text);
        Assert.DoesNotContain("RECEIPT", terminal.Output.Text);
        Assert.Equal(ExitCodes.Paid, againExit);
        Assert.DoesNotContain("Cancelled", again);
        Assert.Contains("No sale left open by an earlier run.", again);
    }

    [Fact]
    public async Task A_normal_start_resolves_the_sales_left_open_before_it_takes_its_new_sale()
    {
        await KilledWhileWaitingAsync("--order-id", "KILLED-THEN-SELL-1", "--description", "Pineapple bun");
        await ControlAsync("KILLED-THEN-SELL-1", "pay");

        using var terminal = new TestTerminal();
        Task<int> run = terminal.StartAsync("--simulator-url", Simulator.BaseAddress.AbsoluteUri, "--sales-db", SalesDb, "--order-id", "NEXT-SALE-1", "--description", "Milk tea x1");
        await terminal.WaitForAsync(TestTerminal.WaitingLine);
        await ControlAsync("NEXT-SALE-1", "pay");
        int exitCode = await TestTerminal.FinishAsync(run);
        (_, string after, _) = await ResumeAsync();

        string output = terminal.Output.Text;
        Assert.Equal(ExitCodes.Paid, exitCode);
        int recovered = output.IndexOf("RECEIPT (RECOVERED)", StringComparison.Ordinal);
        int creating = output.IndexOf("Creating a payment", StringComparison.Ordinal);
        int receipt = output.IndexOf("===== RECEIPT =====", StringComparison.Ordinal);
        Assert.True(recovered >= 0 && recovered < creating && creating < receipt, output);
        Assert.Matches(@"Pineapple bun\s+HKD 38\.00", output[recovered..creating]);
        Assert.Matches(@"Merchant order\s+KILLED-THEN-SELL-1", output[recovered..creating]);
        Assert.Matches(@"Merchant order\s+NEXT-SALE-1", output[receipt..]);
        Assert.Contains("No sale left open by an earlier run.", after); // Both shown once: neither comes back.
    }

    /// <summary>Starts a sale in a terminal process, and kills it (SIGKILL) once it waits for the shopper.</summary>
    private async Task KilledWhileWaitingAsync(params string[] sale)
    {
        await using TerminalProcess terminal = TerminalProcess.Start(_folder, ["--simulator-url", Simulator.BaseAddress.AbsoluteUri, "--sales-db", SalesDb, .. sale]);
        await terminal.WaitForAsync(TestTerminal.WaitingLine);
        terminal.Kill();
        Assert.Equal(TerminalProcess.KilledBySigkill, await terminal.ExitAsync());
        Assert.DoesNotContain("RECEIPT", terminal.Output.Text);
    }

    private Task<(int ExitCode, string Output, string Error)> ResumeAsync() =>
        TerminalProcess.RunAsync(_folder, "--simulator-url", Simulator.BaseAddress.AbsoluteUri, "--sales-db", SalesDb, "--resume");

    /// <summary>What a person does on the simulator's dashboard: pay or cancel the order of this merchant order id.</summary>
    private async Task ControlAsync(string merchantOrderId, string action)
    {
        using HttpResponseMessage response = await _control!.PostAsync($"simulator/api/payments/{merchantOrderId}/{action}", null, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
