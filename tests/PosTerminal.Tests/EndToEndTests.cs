using System.Text.RegularExpressions;
using AlipayHk.Pay;
using AlipayHk.Pay.Testing;
using Microsoft.Extensions.DependencyInjection;
using PosTerminal.Qr;
using PosTerminal.Tests.Support;

namespace PosTerminal.Tests;

/// <summary>
/// The sample's whole flow, in-process, exactly as <c>dotnet run --project samples/PosTerminal</c> runs it: simulator,
/// webhook receiver, create, QR code, shopper, webhook, receipt. The fake clock moves the shopper and the timeout;
/// everything else (HTTP, signatures, queries) is real, on loopback.
/// </summary>
public sealed class EndToEndTests
{
    [Fact]
    public async Task Shopper_pays_and_the_receipt_follows_the_verified_webhook()
    {
        using var terminal = new TestTerminal();

        Task<int> run = terminal.StartAsync("--amount", "12.50", "--description", "Two coffees", "--wallet", "alipaycn", "--pay-after", "3s");
        await terminal.WaitForAsync(TestTerminal.WaitingLine);
        terminal.Clock.Advance(TimeSpan.FromSeconds(3));
        int exitCode = await TestTerminal.FinishAsync(run);

        string output = terminal.Output.Text;
        Assert.Equal(ExitCodes.Paid, exitCode);
        Assert.Equal(string.Empty, terminal.Error.Text);
        Assert.Contains("simulated gateway at http://127.0.0.1:", output);
        Assert.Contains("[simulator] The shopper scans the code and pays", output);

        string merchantOrderId = Regex.Match(output, @"merchant order (POS-\d{14}-[0-9A-F]{4})").Groups[1].Value;
        string orderId = Regex.Match(output, @"Created gateway order (C\d+): PENDING").Groups[1].Value;
        Assert.StartsWith("POS-20260301100000-", merchantOrderId, StringComparison.Ordinal);
        Assert.NotEmpty(orderId);

        // The QR code on screen is the gateway's render_qrcode URL, printed under it too.
        string qrUrl = Regex.Match(output, @"http://127\.0\.0\.1:\d+/simulator/pay/" + orderId).Value;
        Assert.NotEmpty(qrUrl);
        Assert.Contains(string.Join(Environment.NewLine, QrCodeRenderer.Render(qrUrl).Select(line => "  " + line)), output);

        // The receipt comes after the webhook, and says what proved the payment.
        string receipt = output[output.IndexOf("RECEIPT", StringComparison.Ordinal)..];
        Assert.Contains("Two coffees", receipt);
        Assert.Matches(@"Total paid\s+HKD 12\.50", receipt);
        Assert.Matches(@"Wallet\s+Alipay \(mainland China\)", receipt);
        Assert.Matches($@"Merchant order\s+{merchantOrderId}", receipt);
        Assert.Matches($@"Gateway order\s+{orderId}", receipt);
        Assert.Matches(@"rid\s+[0-9a-f]{32}", receipt);
        Assert.Matches(@"Paid at\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00", receipt);
        Assert.Contains("Webhook signature verified, payment confirmed", receipt);
        // The receipt says what brought the news, and how soon: the clock's jump fires a poll together with the
        // payment, so either may be first (WebhookWakesWaitsTests shows the webhook ending waits deterministically).
        Assert.Matches(@"Learned by\s+(webhook|polling), \d+\.\d{3} s after payment", receipt);
    }

    [Fact]
    public async Task Shopper_gives_up_and_the_terminal_exits_2()
    {
        using var terminal = new TestTerminal();

        Task<int> run = terminal.StartAsync("--cancel", "--pay-after", "1s");
        await terminal.WaitForAsync(TestTerminal.WaitingLine);
        terminal.Clock.Advance(TimeSpan.FromSeconds(1));
        int exitCode = await TestTerminal.FinishAsync(run);

        Assert.Equal(ExitCodes.Cancelled, exitCode);
        Assert.Matches(@"^Payment was cancelled: order C\d+ \(merchant order POS-[^)]+\) was closed without payment\.", terminal.Error.Text);
        Assert.DoesNotContain("RECEIPT", terminal.Output.Text);
    }

    [Fact]
    public async Task Nobody_pays_and_the_terminal_shows_progress_then_times_out_with_exit_3()
    {
        using var terminal = new TestTerminal();

        Task<int> run = terminal.StartAsync("--no-pay", "--timeout", "45s");
        await terminal.WaitForAsync(TestTerminal.WaitingLine);
        terminal.Clock.Advance(StatusLineInterval);
        await terminal.WaitForAsync("waiting for the shopper… 2s"); // Redirected output: a plain line every 2 s.
        terminal.Clock.Advance(TimeSpan.FromSeconds(45) - StatusLineInterval);
        int exitCode = await TestTerminal.FinishAsync(run);

        Assert.Equal(ExitCodes.TimedOut, exitCode);
        Assert.StartsWith("No payment within 45 s: order C", terminal.Error.Text, StringComparison.Ordinal);
        Assert.Contains("The simulated shopper will not pay.", terminal.Output.Text);
        Assert.DoesNotContain("RECEIPT", terminal.Output.Text);
    }

    [Fact]
    public async Task Without_flags_on_a_terminal_it_prompts_for_the_sale()
    {
        using var terminal = new TestTerminal(input: "7.5\nEgg tart\n");

        Task<int> run = terminal.StartAsync();
        await terminal.WaitForAsync(TestTerminal.WaitingLine);
        terminal.Clock.Advance(TimeSpan.FromSeconds(3)); // The default --pay-after.
        int exitCode = await TestTerminal.FinishAsync(run);

        Assert.Equal(ExitCodes.Paid, exitCode);
        Assert.StartsWith("Amount in HKD [38.00]: Description [Milk tea x2]: ", terminal.Output.Text, StringComparison.Ordinal);
        Assert.Matches(@"Egg tart\s+HKD 7\.50", terminal.Output.Text);
    }

    [Fact]
    public async Task Without_a_terminal_on_stdin_it_sells_the_defaults_without_prompting()
    {
        using var terminal = new TestTerminal(); // Standard input throws if read.

        Task<int> run = terminal.StartAsync();
        await terminal.WaitForAsync(TestTerminal.WaitingLine);
        terminal.Clock.Advance(TimeSpan.FromSeconds(3));
        int exitCode = await TestTerminal.FinishAsync(run);

        Assert.Equal(ExitCodes.Paid, exitCode);
        Assert.DoesNotContain("Amount in HKD", terminal.Output.Text);
        Assert.Matches(@"Milk tea x2\s+HKD 38\.00", terminal.Output.Text);
    }

    [Fact]
    public async Task With_a_gateway_configured_it_runs_against_it_and_starts_no_simulator()
    {
        // The "real" gateway is a simulator the test owns: the terminal only knows it through configuration.
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var terminal = new TestTerminal(GatewaySettings(gateway));

        Task<int> run = terminal.StartAsync("--amount", "99.90", "--description", "Cake");
        await terminal.WaitForAsync(TestTerminal.WaitingLine);
        SimulatedPayment pending = Assert.Single(gateway.Payments);
        await gateway.CompletePaymentAsync(pending.OrderId, TestContext.Current.CancellationToken); // The shopper, at the gateway.
        int exitCode = await TestTerminal.FinishAsync(run);

        string output = terminal.Output.Text;
        Assert.Equal(ExitCodes.Paid, exitCode);
        Assert.Contains($"gateway at {gateway.BaseAddress}", output);
        Assert.DoesNotContain("[simulator]", output);
        Assert.Contains("Warning: the notify URL is this machine's own address", output);
        Assert.Equal(99.90m, pending.Amount);
        Assert.Matches(@"Cake\s+HKD 99\.90", output);
        Assert.Contains("Webhook signature verified, payment confirmed", output);
        Assert.True(Assert.Single(gateway.CallbackDeliveries).Accepted);
        // The webhook's completion signal ends the wait, unless the wait's first query (sent at once) reached the
        // gateway after the payment: then polling was first, and the receipt says so.
        Assert.Matches(@"Learned by\s+(webhook|polling), \d+\.\d{3} s after payment", output);
    }

    [Fact]
    public async Task Without_a_webhook_the_receipt_says_the_payment_was_confirmed_by_query_only()
    {
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var terminal = new TestTerminal(GatewaySettings(gateway));

        // Nothing listens on port 1: the gateway's callback cannot get through, as behind a wrong public URL.
        Task<int> run = terminal.StartAsync("--notify-url", "http://127.0.0.1:1/alipayhk/notify");
        await terminal.WaitForAsync(TestTerminal.WaitingLine);
        await gateway.CompletePaymentAsync(Assert.Single(gateway.Payments).OrderId, TestContext.Current.CancellationToken);
        await terminal.WaitForAsync("The gateway reports the payment as paid; waiting for its webhook");
        terminal.Clock.Advance(TimeSpan.FromSeconds(10)); // The grace for the webhook runs out.
        int exitCode = await TestTerminal.FinishAsync(run);

        string output = terminal.Output.Text;
        Assert.Equal(ExitCodes.Paid, exitCode);
        Assert.False(Assert.Single(gateway.CallbackDeliveries).Accepted);
        Assert.Contains("Warning: no webhook within 10 s. Check that the gateway can reach http://127.0.0.1:1/alipayhk/notify.", output);
        Assert.Contains("Payment confirmed by querying the gateway; no", output);
        Assert.Matches(@"Learned by\s+polling, \d+\.\d{3} s after payment", output);
        Assert.DoesNotContain("Webhook signature verified", output);
    }

    [Fact]
    public async Task A_webhook_that_comes_after_polling_found_the_payment_paid_still_proves_the_callback_path()
    {
        // The gateway holds the callback until the terminal's wait has seen the payment paid (and, with outcomes on,
        // handled it): the webhook that then arrives is a duplicate for the SDK, but it was verified all the same.
        using var held = new HeldCallbacks();
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(
            new AlipayHkGatewaySimulatorOptions { CallbackHandler = held, CallbackTimeout = TimeSpan.FromSeconds(60) }, TestContext.Current.CancellationToken);
        Dictionary<string, string?> settings = GatewaySettings(gateway);
        settings["AlipayHkPay:PollMaxDelay"] = "00:00:00.200"; // The wait sees the payment paid soon after it is.
        using var terminal = new TestTerminal(settings);

        Task<int> run = terminal.StartAsync();
        await terminal.WaitForAsync(TestTerminal.WaitingLine);
        Task paid = gateway.CompletePaymentAsync(Assert.Single(gateway.Payments).OrderId, TestContext.Current.CancellationToken); // Ends with the first callback's answer.
        await terminal.WaitForAsync("The gateway reports the payment as paid; waiting for its webhook");
        held.Release(); // The fake clock stays put: only the webhook can end the grace.
        int exitCode = await TestTerminal.FinishAsync(run);
        await paid;

        string output = terminal.Output.Text;
        Assert.Equal(ExitCodes.Paid, exitCode);
        Assert.Matches(@"Learned by\s+polling, \d+\.\d{3} s after payment", output);
        Assert.Contains("Webhook signature verified, payment confirmed", output);
        Assert.DoesNotContain("Warning: no webhook", output);
        Assert.True(Assert.Single(gateway.CallbackDeliveries).Accepted);
    }

    [Fact]
    public async Task Ctrl_C_while_waiting_stops_everything_and_exits_130()
    {
        using var terminal = new TestTerminal();
        using var ctrlC = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        Task<int> run = terminal.StartAsync(ctrlC.Token, "--no-pay");
        await terminal.WaitForAsync(TestTerminal.WaitingLine);
        await ctrlC.CancelAsync();
        int exitCode = await TestTerminal.FinishAsync(run);

        Assert.Equal(ExitCodes.Interrupted, exitCode);
        Assert.StartsWith("Stopped. Merchant order POS-", terminal.Error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_create_exits_1_with_the_gateway_code_and_rid()
    {
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using (ServiceProvider sdk = new ServiceCollection().AddLogging().AddAlipayHkPay(gateway.ConfigureClient).BuildServiceProvider())
        {
            await sdk.GetRequiredService<IAlipayHkPayClient>().CreatePaymentAsync(
                new CreatePaymentRequest { Amount = 1m, MerchantOrderId = "TAKEN-1", Description = "Earlier sale", Wallet = AlipayHkWallet.AlipayHk },
                TestContext.Current.CancellationToken);
        }

        using var terminal = new TestTerminal(GatewaySettings(gateway));

        int exitCode = await TestTerminal.FinishAsync(terminal.StartAsync("--order-id", "TAKEN-1"));

        Assert.Equal(ExitCodes.GatewayError, exitCode);
        Assert.Matches(@"^Could not create the payment: .+ \(code 40002, rid [0-9a-f]{32}\)\.", terminal.Error.Text);
    }

    [Theory]
    [InlineData(new[] { "--amount", "12,50" }, "--amount: '12,50' is not an amount")]
    [InlineData(new[] { "--real" }, "--real needs the gateway's settings")]
    [InlineData(new[] { "--bogus" }, "Unknown option '--bogus'.")]
    [InlineData(new[] { "--fault", "meltdown" }, "--fault: 'meltdown' is not a fault; use create-answer-lost, create-timeout or gateway-flaky.")]
    [InlineData(new[] { "--fault" }, "--fault needs a value: create-answer-lost, create-timeout or gateway-flaky.")]
    public async Task Bad_usage_exits_64_with_a_message(string[] args, string message)
    {
        using var terminal = new TestTerminal();

        int exitCode = await TestTerminal.FinishAsync(terminal.StartAsync(args));

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.StartsWith(message, terminal.Error.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--cancel")]
    [InlineData("--no-pay")]
    [InlineData("--pay-after", "1s")]
    public async Task Options_for_the_simulated_shopper_are_refused_against_a_configured_gateway_without_real(params string[] args)
    {
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var terminal = new TestTerminal(GatewaySettings(gateway));

        int exitCode = await TestTerminal.FinishAsync(terminal.StartAsync(args));

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.StartsWith("--pay-after, --cancel and --no-pay drive the simulated shopper: they cannot be used against the gateway configured", terminal.Error.Text, StringComparison.Ordinal);
        Assert.Empty(gateway.Payments); // nothing was created at the real gateway
    }

    private static readonly TimeSpan StatusLineInterval = TimeSpan.FromSeconds(2);

    /// <summary>The gateway's way out for callbacks: each one waits until the test releases them.</summary>
    private sealed class HeldCallbacks() : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _released.TrySetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await _released.Task.WaitAsync(cancellationToken);
            return await base.SendAsync(request, cancellationToken);
        }
    }

    private static Dictionary<string, string?> GatewaySettings(AlipayHkGatewaySimulator gateway) => new()
    {
        ["AlipayHkPay:BaseAddress"] = gateway.BaseAddress.ToString(),
        ["AlipayHkPay:Uid"] = gateway.Uid,
        ["AlipayHkPay:ClientSecret"] = gateway.ClientSecret,
        ["AlipayHkPay:PollInitialDelay"] = "00:00:00.100",
        ["PosTerminal:ListenUrl"] = "http://127.0.0.1:0",
    };
}
