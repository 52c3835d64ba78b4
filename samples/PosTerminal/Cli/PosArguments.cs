using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using AlipayHk.Pay;
using AlipayHk.Pay.Simulator.Cli;

namespace PosTerminal.Cli;

/// <summary>Reads the command line with System.CommandLine: <c>--name value</c>, <c>--name=value</c> or <c>--name:value</c>.</summary>
internal static class PosArguments
{
    public const string Usage = """
        Usage: dotnet run --project samples/PosTerminal -- [options]

        A whole Alipay HK in-store payment: create, QR code, the shopper pays, webhook, receipt.
        Without configuration it runs against the in-process gateway simulator: no credentials needed.

        Sale:
          --amount <HKD>            amount, such as 12.50 (default 38.00)
          --description <text>      what the shopper pays for (default "Milk tea x2")
          --wallet <alipayhk|alipaycn>  the shopper's wallet (default alipayhk)
          --order-id <id>           merchant order id (default: generated, POS-...)
          --timeout <duration>      how long to wait for the payment (default 60s)

        Simulated shopper:
          --pay-after <duration>    when the shopper acts once the QR code is shown (default 3s)
          --cancel                  the shopper gives up: the order is cancelled (exit 2)
          --no-pay                  the shopper never pays: the terminal times out (exit 3)

        Gateway:
          --simulator               use the simulator even when a gateway is configured
          --real                    use the gateway configured in AlipayHkPay__* / appsettings.json
          --simulator-url <url>     use a standalone simulator already running there (alipayhk-simulator);
                                    pay on its dashboard or pay page. When it was started with a control token,
                                    set the same Simulator__ControlToken here
          --notify-url <url>        real gateway: the public URL that reaches this terminal's webhook
          --listen <url>            real gateway: where the webhook receiver listens (default http://127.0.0.1:5080)

        Sales book (SQLite; every start first resolves the sales an earlier run left open):
          --sales-db <path>         the sales database (default: pos-sales.db beside the settings, appsettings.json,
                                    with --simulator-url or a configured gateway; with the embedded simulator, which
                                    forgets its orders on exit, none: the sales are kept in memory for the run)
          --resume                  resolve the sales an earlier run left open (a receipt, marked recovered, for each
                                    one paid; a line for each one cancelled or still open), then exit 0 without a new sale

        Watching the SDK:
          --fault <name>            simulator only: create-answer-lost (the create is recorded, then answered 502),
                                    create-timeout (recorded, then the answer stalls past the attempt timeout), or
                                    gateway-flaky (the next 3 queries fail with 503); the sale still ends in a receipt
          --trace                   print the sale's spans (AlipayHk.Pay and HttpClient) when it ends

          -h, --help                show this help

        Durations: 500ms, 3s, 2m, or a number of seconds.
        Without options, and when standard input is a terminal, the amount and description are prompted for.
        Exit codes: 0 paid, 1 gateway error, 2 cancelled, 3 timed out, 64 bad usage, 130 stopped (Ctrl+C, SIGTERM).
        With --resume: 0 once every open sale was looked at (a sale still pending is listed as still open), 1 when
        the gateway did not answer for one of them.
        """;

    /// <summary>Why <c>--pay-after</c>, <c>--cancel</c> and <c>--no-pay</c> are refused against a real gateway.</summary>
    public const string ShopperOptionsRefused = "--pay-after, --cancel and --no-pay drive the simulated shopper: they cannot be used";

    /// <summary>The options the command line knows, for a test that checks <see cref="Usage"/> lists each.</summary>
    public static IEnumerable<string> Flags => new Symbols().Command.Options.Select(option => option.Name);

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <returns>The options, or an error message naming the bad option.</returns>
    public static (PosOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var symbols = new Symbols();
        ParseResult result = symbols.Command.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.GetResult(symbols.Help) is not null)
        {
            return (new PosOptions { HasFlags = true, ShowHelp = true }, null);
        }

        if (FirstError(result, symbols.Fault) is { } error)
        {
            return (null, error);
        }

        bool cancels = result.GetValue(symbols.Cancel), walksAway = result.GetValue(symbols.NoPay), payAfterGiven = result.GetResult(symbols.PayAfter) is not null;
        bool real = result.GetValue(symbols.Real), simulator = result.GetValue(symbols.Simulator), resume = result.GetValue(symbols.Resume);
        if (cancels && walksAway)
        {
            return (null, "--cancel and --no-pay cannot be used together.");
        }

        if (real && simulator)
        {
            return (null, "--real and --simulator cannot be used together.");
        }

        if (resume && symbols.Sale.FirstOrDefault(option => result.GetResult(option) is { Implicit: false }) is { } saleOption)
        {
            return (null, $"--resume starts no new sale: it cannot be used with {saleOption.Name}.");
        }

        var defaults = new PosOptions();
        var options = new PosOptions
        {
            HasFlags = args.Count > 0,
            Amount = Given(result, symbols.Amount, defaults.Amount),
            Description = Given(result, symbols.Description, defaults.Description),
            Wallet = Given(result, symbols.Wallet, defaults.Wallet),
            MerchantOrderId = result.GetValue(symbols.OrderId),
            Timeout = Given(result, symbols.Timeout, defaults.Timeout),
            PayAfter = Given(result, symbols.PayAfter, defaults.PayAfter),
            Shopper = cancels ? ShopperBehaviour.Cancels : walksAway ? ShopperBehaviour.WalksAway : ShopperBehaviour.Pays,
            DrivesShopper = cancels || walksAway || payAfterGiven,
            UseRealGateway = real ? true : simulator ? false : null,
            SimulatorUrl = result.GetValue(symbols.SimulatorUrl),
            NotifyUrl = result.GetValue(symbols.NotifyUrl),
            ListenUrl = result.GetValue(symbols.Listen),
            Fault = result.GetResult(symbols.Fault) is null ? null : result.GetValue(symbols.Fault),
            Trace = result.GetValue(symbols.Trace),
            SalesDb = result.GetValue(symbols.SalesDb),
            Resume = resume,
        };
        if (real && options.DrivesShopper)
        {
            return (null, $"{ShopperOptionsRefused} with --real.");
        }

        if (options.SimulatorUrl is not null && (options.UseRealGateway is not null || options.DrivesShopper || options.Fault is not null))
        {
            return (null, "--simulator-url uses a standalone simulator, where someone pays on its dashboard: it cannot be used with --real, --simulator, --pay-after, --cancel, --no-pay or --fault (inject faults on its dashboard or control API instead).");
        }

        return (options, null);
    }

    /// <summary>Parses an amount in HKD: positive, at most 2 decimal places, '.' as the decimal point.</summary>
    public static bool TryParseAmount(string text, out decimal amount, out string? error)
    {
        error = null;
        if (!decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out amount))
        {
            error = $"'{text}' is not an amount: write it like 12.50.";
        }
        else if (amount <= 0m)
        {
            error = "The amount must be above 0.";
        }
        else if (decimal.Round(amount, 2) != amount)
        {
            error = $"'{text}' has more than 2 decimal places.";
        }
        else if (amount > 999_999_999.99m)
        {
            error = $"'{text}' is too large.";
        }

        return error is null;
    }

    /// <summary>An option with one value, read by <paramref name="parse"/>: the value, or the message that refuses it.</summary>
    private static Option<T> Value<T>(string name, Func<string, (T? Value, string? Error)> parse) => new(name)
    {
        CustomParser = argument =>
        {
            (T? value, string? error) = parse(argument.Tokens.Count == 1 ? argument.Tokens[0].Value : string.Empty);
            if (error is not null)
            {
                argument.AddError(error);
            }

            return value!;
        },
    };

    private static Option<Uri> Url(string name) => Value<Uri>(name, text =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? (url, null)
            : (null, $"{name}: '{text}' is not an absolute http(s) URL."));

    private static Option<bool> Flag(string name) => new(name) { Arity = ArgumentArity.Zero };

    private static T Given<T>(ParseResult result, Option<T> option, T fallback) => result.GetResult(option) is null ? fallback : result.GetValue(option)!;

    /// <summary>The first problem, in words that name the option: an unknown option, or a missing or bad value.</summary>
    private static string? FirstError(ParseResult result, Option fault)
    {
        if (result.UnmatchedTokens.Count > 0)
        {
            return $"Unknown option '{result.UnmatchedTokens[0]}'.";
        }

        ParseError? error = result.Errors.Count > 0 ? result.Errors[0] : null;
        return error?.SymbolResult is OptionResult { Tokens.Count: 0 } missing
            ? missing.Option == fault ? $"--fault needs a value: {SimulatedGatewayFaults.Names}." : $"{missing.Option.Name} needs a value."
            : error?.Message;
    }

    /// <summary>The command line's options: built for each parse, as System.CommandLine's symbols are not meant to be shared.</summary>
    private sealed class Symbols
    {
        public readonly HelpOption Help = new();
        public readonly Option<decimal> Amount = Value<decimal>("--amount", text => TryParseAmount(text, out decimal amount, out string? error) ? (amount, null) : (0m, $"--amount: {error}"));
        public readonly Option<string> Description = Value<string>("--description", text => string.IsNullOrWhiteSpace(text) ? (null, "--description must not be blank.") : (text.Trim(), null));
        public readonly Option<AlipayHkWallet> Wallet = Value<AlipayHkWallet>("--wallet", text => text.Trim().ToUpperInvariant() switch
        {
            "ALIPAYHK" or "HK" => (AlipayHkWallet.AlipayHk, null),
            "ALIPAYCN" or "CN" => (AlipayHkWallet.AlipayCn, null),
            _ => (default, $"--wallet: '{text}' is not a wallet; use alipayhk or alipaycn."),
        });

        public readonly Option<string> OrderId = Value<string>("--order-id", text => text.Length is < 1 or > 32 || text.Any(c => c is < '!' or > '~')
            ? (null, "--order-id must be 1 to 32 printable ASCII characters, without spaces.")
            : (text, null));

        public readonly Option<TimeSpan> Timeout = Value<TimeSpan>("--timeout", text => Durations.TryParse(text, out TimeSpan timeout) && timeout > TimeSpan.Zero
            ? (timeout, null)
            : (default, $"--timeout: '{text}' is not a positive duration, such as 60s."));

        public readonly Option<TimeSpan> PayAfter = Value<TimeSpan>("--pay-after", text => Durations.TryParse(text, out TimeSpan payAfter)
            ? (payAfter, null)
            : (default, $"--pay-after: '{text}' is not a duration, such as 3s."));

        public readonly Option<SimulatedGatewayFault> Fault = Value<SimulatedGatewayFault>("--fault", text => SimulatedGatewayFaults.Parse(text) is { } fault
            ? (fault, null)
            : (default, $"--fault: '{text}' is not a fault; use {SimulatedGatewayFaults.Names}."));

        public readonly Option<Uri> NotifyUrl = Url("--notify-url");
        public readonly Option<Uri> Listen = Url("--listen");
        public readonly Option<Uri> SimulatorUrl = Url("--simulator-url");
        public readonly Option<bool> Cancel = Flag("--cancel");
        public readonly Option<bool> NoPay = Flag("--no-pay");
        public readonly Option<bool> Real = Flag("--real");
        public readonly Option<bool> Simulator = Flag("--simulator");
        public readonly Option<bool> Trace = Flag("--trace");
        public readonly Option<bool> Resume = Flag("--resume");
        public readonly Option<string> SalesDb = Value<string>("--sales-db", text => string.IsNullOrWhiteSpace(text) ? (null, "--sales-db needs a file path.") : (text, null));

        /// <summary>The options of a new sale, which <c>--resume</c> does not take.</summary>
        public Option[] Sale => [Amount, Description, Wallet, OrderId, Timeout, PayAfter, Cancel, NoPay, Fault];

        public Command Command => new("PosTerminal")
        {
            Help, Amount, Description, Wallet, OrderId, Timeout, PayAfter, Cancel, NoPay, Simulator, Real, SimulatorUrl, NotifyUrl, Listen, SalesDb, Resume, Fault, Trace,
        };
    }
}
