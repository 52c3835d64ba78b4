using AlipayHk.Pay;
using PosTerminal.Cli;

namespace PosTerminal.Tests;

public sealed class PosArgumentsTests
{
    [Fact]
    public void No_arguments_give_the_defaults_and_allow_prompts()
    {
        (PosOptions? options, string? error) = PosArguments.Parse([]);

        Assert.Null(error);
        Assert.NotNull(options);
        Assert.False(options.HasFlags);
        Assert.Equal(38.00m, options.Amount);
        Assert.Equal("Milk tea x2", options.Description);
        Assert.Equal(AlipayHkWallet.AlipayHk, options.Wallet);
        Assert.Equal(TimeSpan.FromSeconds(3), options.PayAfter);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Timeout);
        Assert.Equal(ShopperBehaviour.Pays, options.Shopper);
        Assert.Null(options.UseRealGateway);
    }

    [Fact]
    public void Every_option_is_read_in_both_spellings()
    {
        (PosOptions? options, string? error) = PosArguments.Parse(
        [
            "--amount", "12.5", "--description=Two coffees", "--wallet", "AlipayCN", "--pay-after=500ms", "--timeout", "2m",
            "--order-id", "SHOP-42", "--cancel",
        ]);

        Assert.Null(error);
        Assert.Equal(
            new PosOptions
            {
                Amount = 12.5m, Description = "Two coffees", Wallet = AlipayHkWallet.AlipayCn, PayAfter = TimeSpan.FromMilliseconds(500),
                Timeout = TimeSpan.FromMinutes(2), MerchantOrderId = "SHOP-42", Shopper = ShopperBehaviour.Cancels, HasFlags = true,
                DrivesShopper = true,
            },
            options);
    }

    [Fact]
    public void Real_gateway_options_are_read()
    {
        (PosOptions? options, _) = PosArguments.Parse(["--real", "--notify-url", "https://shop.example.com/", "--listen", "http://0.0.0.0:8080"]);

        Assert.Equal(true, options!.UseRealGateway);
        Assert.Equal(new Uri("https://shop.example.com/"), options.NotifyUrl);
        Assert.Equal(new Uri("http://0.0.0.0:8080"), options.ListenUrl);
        Assert.Equal(false, PosArguments.Parse(["--simulator"]).Options!.UseRealGateway);
        Assert.True(PosArguments.Parse(["-h"]).Options!.ShowHelp);
    }

    [Fact]
    public void Sales_options_are_read()
    {
        (PosOptions? options, string? error) = PosArguments.Parse(["--simulator-url", "http://127.0.0.1:5380/", "--sales-db=till-1.db", "--resume"]);

        Assert.Null(error);
        Assert.Equal("till-1.db", options!.SalesDb);
        Assert.True(options.Resume);
        Assert.Null(PosArguments.Parse([]).Options!.SalesDb); // The default depends on the gateway: see SalesDbTests.
        Assert.False(PosArguments.Parse([]).Options!.Resume);
    }

    [Theory]
    [InlineData("--amount", "0", "--amount: The amount must be above 0.")]
    [InlineData("--amount", "-1", "--amount: '-1' is not an amount: write it like 12.50.")]
    [InlineData("--amount", "1.005", "--amount: '1.005' has more than 2 decimal places.")]
    [InlineData("--description", " ", "--description must not be blank.")]
    [InlineData("--wallet", "wechat", "--wallet: 'wechat' is not a wallet; use alipayhk or alipaycn.")]
    [InlineData("--timeout", "0s", "--timeout: '0s' is not a positive duration, such as 60s.")]
    [InlineData("--pay-after", "soon", "--pay-after: 'soon' is not a duration, such as 3s.")]
    [InlineData("--order-id", "has space", "--order-id must be 1 to 32 printable ASCII characters, without spaces.")]
    [InlineData("--notify-url", "/relative", "--notify-url: '/relative' is not an absolute http(s) URL.")]
    public void Bad_values_are_refused_with_a_message_naming_the_option(string name, string value, string message)
    {
        (PosOptions? options, string? error) = PosArguments.Parse([name, value]);

        Assert.Null(options);
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData(new[] { "--amount" }, "--amount needs a value.")]
    [InlineData(new[] { "--cancel", "--no-pay" }, "--cancel and --no-pay cannot be used together.")]
    [InlineData(new[] { "--real", "--cancel" }, "--pay-after, --cancel and --no-pay drive the simulated shopper: they cannot be used with --real.")]
    [InlineData(new[] { "--real", "--pay-after", "1s" }, "--pay-after, --cancel and --no-pay drive the simulated shopper: they cannot be used with --real.")]
    [InlineData(new[] { "--simulator-url", "http://127.0.0.1:5380/", "--cancel" }, "--simulator-url uses a standalone simulator, where someone pays on its dashboard: it cannot be used with --real, --simulator, --pay-after, --cancel, --no-pay or --fault (inject faults on its dashboard or control API instead).")]
    [InlineData(new[] { "--simulator-url", "http://127.0.0.1:5380/", "--fault", "gateway-flaky" }, "--simulator-url uses a standalone simulator, where someone pays on its dashboard: it cannot be used with --real, --simulator, --pay-after, --cancel, --no-pay or --fault (inject faults on its dashboard or control API instead).")]
    [InlineData(new[] { "--simulator-url", "127.0.0.1:5380" }, "--simulator-url: '127.0.0.1:5380' is not an absolute http(s) URL.")]
    [InlineData(new[] { "--resume", "--order-id", "SHOP-42" }, "--resume starts no new sale: it cannot be used with --order-id.")]
    [InlineData(new[] { "--resume", "--no-pay" }, "--resume starts no new sale: it cannot be used with --no-pay.")]
    [InlineData(new[] { "--sales-db", " " }, "--sales-db needs a file path.")]
    [InlineData(new[] { "milk" }, "Unknown option 'milk'.")]
    [InlineData(new[] { "--real", "--description", "--pay-after is not an option here", "--bogus" }, "Unknown option '--bogus'.")]
    public void Bad_combinations_are_refused(string[] args, string message)
    {
        Assert.Equal(message, PosArguments.Parse(args).Error);
    }

    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("3s", 3_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2m", 120_000)]
    [InlineData("10", 10_000)]
    [InlineData("0", 0)]
    public void Durations(string text, int milliseconds)
    {
        (PosOptions? options, string? error) = PosArguments.Parse(["--pay-after", text]);

        Assert.Null(error);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), options!.PayAfter);
    }

    [Fact]
    public void The_help_lists_every_option_the_command_line_knows()
    {
        Assert.All(PosArguments.Flags, flag => Assert.Contains(" " + flag + " ", PosArguments.Usage, StringComparison.Ordinal));
    }

    [Fact]
    public void Prompts_keep_the_default_on_enter_and_ask_again_after_a_bad_amount()
    {
        var output = new StringWriter();

        PosOptions options = Prompter.Ask(new PosOptions(), new StringReader("abc\n\n\n"), output);

        Assert.Equal(38.00m, options.Amount);
        Assert.Equal("Milk tea x2", options.Description);
        Assert.Equal(
            "Amount in HKD [38.00]: 'abc' is not an amount: write it like 12.50." + Environment.NewLine + "Amount in HKD [38.00]: Description [Milk tea x2]: ",
            output.ToString());
    }
}
