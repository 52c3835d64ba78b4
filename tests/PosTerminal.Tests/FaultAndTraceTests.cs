using System.Text.RegularExpressions;
using AlipayHk.Pay;
using AlipayHk.Pay.Testing;
using Microsoft.Extensions.DependencyInjection;
using PosTerminal.Cli;
using PosTerminal.Tests.Support;

namespace PosTerminal.Tests;

/// <summary>
/// <c>--fault</c> and <c>--trace</c>: anyone can watch the SDK recover from a lost answer, a stalled one or a flaky
/// gateway, and every sale still ends in a receipt; or see the sale's spans. In-process, on loopback, with the fake clock
/// moving the shopper (the stall itself is the SDK's real 1 s attempt timeout).
/// </summary>
public sealed class FaultAndTraceTests
{
    private const string MerchantOrder = @"POS-\d{14}-[0-9A-F]{4}";

    [Theory]
    [InlineData("create-answer-lost", "create -> 502 (fault: BadGatewayAfterProcessing)")]
    [InlineData("create-timeout", "create -> no response (fault: Timeout)")]
    public async Task A_create_whose_answer_is_lost_starts_a_new_sale_and_its_receipt_names_both_orders(string fault, string served)
    {
        using var terminal = new TestTerminal();

        int exitCode = await terminal.RunPaidSaleAsync("--fault", fault);

        string output = terminal.Output.Text;
        Assert.Equal(ExitCodes.Paid, exitCode);
        Assert.Equal(string.Empty, terminal.Error.Text);
        Assert.Contains($"Fault injected (--fault {fault})", output);
        Assert.Contains(served, output);

        // The order the SDK recovered by query has no QR code: it is replaced by a new sale, under a new merchant order id.
        Match lost = Regex.Match(output, $@"The QR code of order (C\d+) \(merchant order ({MerchantOrder})\) was lost with the interrupted answer; starting a new sale as merchant order ({MerchantOrder})\.");
        Assert.True(lost.Success, output);
        (string lostOrder, string lostMerchantOrder, string newMerchantOrder) = (lost.Groups[1].Value, lost.Groups[2].Value, lost.Groups[3].Value);
        Assert.NotEqual(lostMerchantOrder, newMerchantOrder);
        string newOrder = Regex.Match(output, @"Created gateway order (C\d+): PENDING").Groups[1].Value;
        Assert.NotEqual(lostOrder, newOrder);
        Assert.Single(Regex.Matches(output, "Scan to pay with")); // one QR code: the new sale's
        Assert.Contains("/simulator/pay/" + newOrder, output);
        Assert.DoesNotContain("/simulator/pay/" + lostOrder, output);

        string receipt = output[output.IndexOf("RECEIPT", StringComparison.Ordinal)..];
        Assert.Matches($@"Merchant order\s+{newMerchantOrder}", receipt);
        Assert.Matches($@"Gateway order\s+{newOrder}", receipt);
        Assert.Matches($@"Replaces order\s+{lostMerchantOrder}", receipt);
        Assert.Matches($@"\(QR code lost\)\s+{lostOrder}", receipt);
        Assert.Contains("Webhook signature verified, payment confirmed", receipt);
    }

    [Fact]
    public async Task A_flaky_gateway_fails_the_next_queries_with_503_and_the_sale_still_ends_in_a_receipt()
    {
        using var terminal = new TestTerminal();

        Task<int> run = terminal.StartAsync("--fault", "gateway-flaky");
        await terminal.WaitForAsync(TestTerminal.WaitingLine);
        // Polling meets the three 503s (one query, retried twice); the shopper pays only once they are spent.
        await terminal.Output.WaitForAsync("query -> 503 (fault: ServerError)", 3, TestContext.Current.CancellationToken);
        terminal.Clock.Advance(TimeSpan.FromSeconds(3));
        int exitCode = await TestTerminal.FinishAsync(run);

        string output = terminal.Output.Text;
        Assert.Equal(ExitCodes.Paid, exitCode);
        Assert.Equal(string.Empty, terminal.Error.Text);
        Assert.Contains("Fault injected (--fault gateway-flaky): the next 3 queries will fail with 503", output);
        Assert.Equal(3, Regex.Matches(output, Regex.Escape("query -> 503 (fault: ServerError)")).Count);
        Assert.Matches(@"query -> 503 \(fault: ServerError\)\r?\n(.*\r?\n)*?\[simulator\] POST /mch-api/v1/pa/payment_intents/query -> 200", output);
        string receipt = output[output.IndexOf("RECEIPT", StringComparison.Ordinal)..];
        Assert.Contains("Webhook signature verified, payment confirmed", receipt);
        Assert.DoesNotContain("Replaces order", receipt);
    }

    [Fact]
    public async Task A_lost_answer_for_an_order_an_earlier_sale_already_had_paid_starts_no_new_sale()
    {
        // The "real" gateway is a simulator the test owns; merchant order TAKEN-2 was shown and paid before.
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using (ServiceProvider sdk = new ServiceCollection().AddLogging().AddAlipayHkPay(gateway.ConfigureClient).BuildServiceProvider())
        {
            PaymentIntent earlier = await sdk.GetRequiredService<IAlipayHkPayClient>().CreatePaymentAsync(
                new CreatePaymentRequest { Amount = 38m, MerchantOrderId = "TAKEN-2", Description = "Milk tea x2", Wallet = AlipayHkWallet.AlipayHk },
                TestContext.Current.CancellationToken);
            await gateway.CompletePaymentAsync(earlier.OrderId, TestContext.Current.CancellationToken);
        }

        gateway.FailNext(1, SimulatedFault.BadGatewayAfterProcessing, SimulatedEndpoint.Create); // this run's create: its answer is lost
        using var terminal = new TestTerminal(new Dictionary<string, string?>
        {
            ["AlipayHkPay:BaseAddress"] = gateway.BaseAddress.ToString(),
            ["AlipayHkPay:Uid"] = gateway.Uid,
            ["AlipayHkPay:ClientSecret"] = gateway.ClientSecret,
            ["PosTerminal:ListenUrl"] = "http://127.0.0.1:0",
        });

        int exitCode = await TestTerminal.FinishAsync(terminal.StartAsync("--order-id", "TAKEN-2"));

        Assert.Equal(ExitCodes.Paid, exitCode);
        Assert.Contains("(merchant order TAKEN-2) is already paid: an earlier call with this merchant order id showed its QR code. No new sale is started.", terminal.Output.Text);
        Assert.Matches(@"Merchant order\s+TAKEN-2", terminal.Output.Text);
        Assert.Single(gateway.Payments); // never charged twice
    }

    [Fact]
    public async Task A_fault_is_refused_with_exit_64_against_a_configured_gateway()
    {
        await using var gateway = await AlipayHkGatewaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var terminal = new TestTerminal(new Dictionary<string, string?>
        {
            ["AlipayHkPay:BaseAddress"] = gateway.BaseAddress.ToString(),
            ["AlipayHkPay:Uid"] = gateway.Uid,
            ["AlipayHkPay:ClientSecret"] = gateway.ClientSecret,
        });

        int exitCode = await TestTerminal.FinishAsync(terminal.StartAsync("--fault", "create-answer-lost"));

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.StartsWith("--fault create-answer-lost injects faults into the simulator: it cannot be used against the configured gateway.", terminal.Error.Text, StringComparison.Ordinal);
        Assert.Empty(gateway.Journal); // nothing was sent
    }

    [Fact]
    public void Fault_and_trace_are_read_in_both_spellings()
    {
        Assert.Equal(SimulatedGatewayFault.CreateTimeout, PosArguments.Parse(["--fault=create-timeout"]).Options!.Fault);
        Assert.Equal(SimulatedGatewayFault.GatewayFlaky, PosArguments.Parse(["--fault", "Gateway-Flaky"]).Options!.Fault);
        Assert.True(PosArguments.Parse(["--trace"]).Options!.Trace);
        Assert.Null(PosArguments.Parse([]).Options!.Fault);
        Assert.False(PosArguments.Parse([]).Options!.Trace);
    }

    [Fact]
    public async Task Trace_prints_the_sales_spans_nested_with_their_attributes()
    {
        using var terminal = new TestTerminal();

        int exitCode = await terminal.RunPaidSaleAsync("--trace");

        string output = terminal.Output.Text;
        Assert.Equal(ExitCodes.Paid, exitCode);
        string merchantOrderId = Regex.Match(output, $@"merchant order ({MerchantOrder})").Groups[1].Value;
        string orderId = Regex.Match(output, @"Created gateway order (C\d+): PENDING").Groups[1].Value;
        string trace = output[output.IndexOf("Spans of this sale", StringComparison.Ordinal)..];
        string[] lines = [.. trace.Split('\n').Select(l => l.TrimEnd('\r'))];

        Assert.Matches(@"^PosTerminal\.Sale  \d+\.\d  Ok$", lines[1]);
        Assert.Matches(
            $@"^  AlipayHkPay\.CreatePayment  \d+\.\d  Ok  alipayhk\.merchant_order_id={merchantOrderId}  alipayhk\.order_id={orderId}  alipayhk\.payment\.status=PENDING  alipayhk\.rid=[0-9a-f]{{32}}$",
            lines[2]);
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^    POST /mch-api/v1/pa/payment_intents/create  \d+\.\d  Ok  http\.response\.status_code=200$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^    GET /mch-api/v1/auth  \d+\.\d  Ok  http\.response\.status_code=200$"));
        Assert.Contains(lines, l => l.StartsWith("  AlipayHkPay.WaitForCompletion  ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("    AlipayHkPay.GetPayment  ", StringComparison.Ordinal));
        // The webhook's processing joins the sale's trace. It confirms the payment (and tags its status) unless the
        // terminal's wait saw it paid first: with outcomes on, that webhook is then a duplicate, answered without a query.
        Assert.Contains(lines, l => Regex.IsMatch(l, $@"^    AlipayHkPay\.ProcessWebhook  \d+\.\d  Ok  .*alipayhk\.order_id={orderId}"));
        Assert.DoesNotContain("client_secret", trace, StringComparison.Ordinal);
        Assert.DoesNotContain("/simulator/pay/", trace, StringComparison.Ordinal); // never the QR code URL
    }
}
