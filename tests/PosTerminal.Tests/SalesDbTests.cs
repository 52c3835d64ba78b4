using AlipayHk.Pay.Simulator.Hosting;
using AlipayHk.Pay.Testing;
using PosTerminal.Tests.Support;

namespace PosTerminal.Tests;

/// <summary>
/// Where the terminal keeps its sales (<c>--sales-db</c>): beside its settings (<c>appsettings.json</c>, the program's
/// folder) against a standalone simulator or a configured gateway; nowhere on disk with the embedded simulator, which
/// forgets its orders when the terminal exits. And what <c>--resume</c> says of a sale it cannot resolve.
/// </summary>
public sealed class SalesDbTests
{
    [Fact]
    public async Task With_the_embedded_simulator_no_sales_file_is_written()
    {
        using var terminal = new TestTerminal();

        int exitCode = await terminal.RunPaidSaleAsync("--amount", "5.00");

        Assert.Equal(ExitCodes.Paid, exitCode);
        Assert.False(Directory.Exists(terminal.SettingsDirectory)); // Not even its folder.
        Assert.DoesNotContain("Sales book", terminal.Output.Text);
        Assert.DoesNotContain("left open", terminal.Output.Text);
    }

    [Fact]
    public async Task Against_a_standalone_simulator_the_sales_are_kept_in_pos_sales_db_beside_the_settings()
    {
        (SimulatorServer? server, string? error, _) = await SimulatorServer.StartAsync(
            ["--urls", "http://127.0.0.1:0"], TextWriter.Null, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" }, TestContext.Current.CancellationToken);
        Assert.True(server is not null, error);
        await using (server)
        {
            using var terminal = new TestTerminal();

            int exitCode = await TestTerminal.FinishAsync(terminal.StartAsync("--simulator-url", server.BaseAddress.AbsoluteUri, "--resume"));

            string file = Path.Combine(terminal.SettingsDirectory, "pos-sales.db");
            Assert.Equal(ExitCodes.Paid, exitCode);
            Assert.True(File.Exists(file));
            Assert.Contains($"Sales book: {file}", terminal.Output.Text);
            Assert.Contains("No sale left open by an earlier run.", terminal.Output.Text);
            Assert.Equal(string.Empty, terminal.Error.Text);
        }
    }

    [Fact]
    public async Task Against_a_configured_gateway_the_sales_are_kept_in_pos_sales_db_beside_the_settings()
    {
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var terminal = new TestTerminal(new Dictionary<string, string?>
        {
            ["AlipayHkPay:BaseAddress"] = gateway.BaseAddress.ToString(),
            ["AlipayHkPay:Uid"] = gateway.Uid,
            ["AlipayHkPay:ClientSecret"] = gateway.ClientSecret,
        });

        int exitCode = await TestTerminal.FinishAsync(terminal.StartAsync("--resume"));

        string file = Path.Combine(terminal.SettingsDirectory, "pos-sales.db");
        Assert.Equal(ExitCodes.Paid, exitCode);
        Assert.True(File.Exists(file));
        Assert.Contains($"gateway at {gateway.BaseAddress}", terminal.Output.Text);
        Assert.Contains($"Sales book: {file}", terminal.Output.Text);
        Assert.DoesNotContain("Webhook receiver", terminal.Output.Text); // --resume takes no payment, so waits for no webhook.
    }

    [Fact]
    public async Task Sales_db_puts_the_file_where_it_says_and_nothing_beside_the_settings()
    {
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var terminal = new TestTerminal(new Dictionary<string, string?>
        {
            ["AlipayHkPay:BaseAddress"] = gateway.BaseAddress.ToString(),
            ["AlipayHkPay:Uid"] = gateway.Uid,
            ["AlipayHkPay:ClientSecret"] = gateway.ClientSecret,
        });
        string elsewhere = Path.Combine(terminal.SettingsDirectory + "-elsewhere", "shop", "till-1.db");

        try
        {
            int exitCode = await TestTerminal.FinishAsync(terminal.StartAsync("--resume", "--sales-db", elsewhere));

            Assert.Equal(ExitCodes.Paid, exitCode);
            Assert.True(File.Exists(elsewhere));
            Assert.Contains($"Sales book: {elsewhere}", terminal.Output.Text);
            Assert.False(Directory.Exists(terminal.SettingsDirectory));
        }
        finally
        {
            Directory.Delete(terminal.SettingsDirectory + "-elsewhere", recursive: true);
        }
    }

    [Fact]
    public async Task A_sale_stopped_while_waiting_stays_open_and_resume_exits_1_while_the_gateway_does_not_answer_for_it()
    {
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var settings = new Dictionary<string, string?>
        {
            ["AlipayHkPay:BaseAddress"] = gateway.BaseAddress.ToString(),
            ["AlipayHkPay:Uid"] = gateway.Uid,
            ["AlipayHkPay:ClientSecret"] = gateway.ClientSecret,
            ["AlipayHkPay:MaxRetryAttempts"] = "0",
            ["PosTerminal:ListenUrl"] = "http://127.0.0.1:0",
        };
        using var first = new TestTerminal(settings);
        using var ctrlC = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        Task<int> run = first.StartAsync(ctrlC.Token, "--order-id", "STOPPED-1");
        await first.WaitForAsync(TestTerminal.WaitingLine);
        await ctrlC.CancelAsync();
        int stopped = await TestTerminal.FinishAsync(run);

        gateway.FailNext(1, SimulatedFault.ServerError, SimulatedEndpoint.Query); // 503 from a load balancer
        using var down = new TestTerminal(settings, settingsDirectory: first.SettingsDirectory); // The same pos-sales.db.
        int downExit = await TestTerminal.FinishAsync(down.StartAsync("--resume"));
        using var up = new TestTerminal(settings, settingsDirectory: first.SettingsDirectory);
        int upExit = await TestTerminal.FinishAsync(up.StartAsync("--resume"));

        Assert.Equal(ExitCodes.Interrupted, stopped);
        Assert.Equal(ExitCodes.GatewayError, downExit);
        Assert.Matches(@"Still open: merchant order STOPPED-1 \(order C\d+\), HKD 38\.00 for ""Milk tea x2"", started \d+ s ago: the gateway did not answer \(.+; rid none\)\. The next start asks again\.", down.Output.Text);
        Assert.Contains("Resumed: 0 paid (receipt printed), 0 cancelled, 1 still open.", down.Output.Text);
        Assert.Equal(ExitCodes.Paid, upExit);
        Assert.Contains("PENDING at the gateway. The next start checks it again.", up.Output.Text);
    }

    [Theory]
    [InlineData(new[] { "--sales-db", "pos-sales.db" }, "--sales-db keeps the sales across runs, but the embedded simulator forgets its orders when the terminal exits. Use --simulator-url (a standalone simulator) or a configured gateway.")]
    [InlineData(new[] { "--resume" }, "--resume resolves the sales an earlier run left open, but the embedded simulator forgets its orders when the terminal exits.")]
    [InlineData(new[] { "--resume", "--amount", "5" }, "--resume starts no new sale: it cannot be used with --amount.")]
    [InlineData(new[] { "--resume", "--cancel" }, "--resume starts no new sale: it cannot be used with --cancel.")]
    [InlineData(new[] { "--sales-db" }, "--sales-db needs a value.")]
    public async Task Sales_db_and_resume_are_refused_where_they_cannot_work_with_exit_64(string[] args, string message)
    {
        using var terminal = new TestTerminal();

        int exitCode = await TestTerminal.FinishAsync(terminal.StartAsync(args));

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.StartsWith(message, terminal.Error.Text, StringComparison.Ordinal);
        Assert.False(Directory.Exists(terminal.SettingsDirectory));
        Assert.False(File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "pos-sales.db")));
    }
}
