using System.Globalization;
using AlipayHk.Pay;

namespace PosTerminal.Cli;

/// <summary>Reads the command line. Small and hand-written: <c>--name value</c> or <c>--name=value</c>.</summary>
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
                                    pay on its dashboard or pay page
          --notify-url <url>        real gateway: the public URL that reaches this terminal's webhook
          --listen <url>            real gateway: where the webhook receiver listens (default http://127.0.0.1:5080)

        Watching the SDK:
          --fault <name>            simulator only: create-answer-lost (the create is recorded, then answered 502),
                                    create-timeout (recorded, then the answer stalls past the attempt timeout), or
                                    gateway-flaky (the next 3 queries fail with 503); the sale still ends in a receipt
          --trace                   print the sale's spans (AlipayHk.Pay and HttpClient) when it ends

        Durations: 500ms, 3s, 2m, or a number of seconds.
        Without options, and when standard input is a terminal, the amount and description are prompted for.
        Exit codes: 0 paid, 1 gateway error, 2 cancelled, 3 timed out, 64 bad usage, 130 stopped (Ctrl+C, SIGTERM).
        """;

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <returns>The options, or an error message naming the bad option.</returns>
    /// <summary>Why <c>--pay-after</c>, <c>--cancel</c> and <c>--no-pay</c> are refused against a real gateway.</summary>
    public const string ShopperOptionsRefused = "--pay-after, --cancel and --no-pay drive the simulated shopper: they cannot be used";

    public static (PosOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new PosOptions { HasFlags = args.Count > 0 };
        bool payAfterGiven = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string name = arg;
            string? inlineValue = null;
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                name = arg[..equals];
                inlineValue = arg[(equals + 1)..];
            }

            string? error = null;
            switch (name)
            {
                case "-h" or "--help" or "-?":
                    options = options with { ShowHelp = true };
                    break;
                case "--cancel":
                    options = WithShopper(options, ShopperBehaviour.Cancels, ref error);
                    break;
                case "--no-pay":
                    options = WithShopper(options, ShopperBehaviour.WalksAway, ref error);
                    break;
                case "--real":
                    options = options with { UseRealGateway = true };
                    break;
                case "--simulator":
                    options = options with { UseRealGateway = false };
                    break;
                case "--trace":
                    options = options with { Trace = true };
                    break;
                case "--fault":
                    string? faultName = inlineValue ?? (i + 1 < args.Count ? args[++i] : null);
                    SimulatedGatewayFault? fault = faultName is null ? null : SimulatedGatewayFaults.Parse(faultName);
                    options = options with { Fault = fault };
                    error = faultName is null ? "--fault needs a value: " + SimulatedGatewayFaults.Names + "."
                        : fault is null ? $"--fault: '{faultName}' is not a fault; use {SimulatedGatewayFaults.Names}."
                        : null;
                    break;
                case "--amount" or "--description" or "--wallet" or "--order-id" or "--timeout" or "--pay-after" or "--notify-url" or "--listen" or "--simulator-url":
                    string? value = inlineValue ?? (i + 1 < args.Count ? args[++i] : null);
                    payAfterGiven |= name == "--pay-after";
                    options = value is null ? options : WithValue(options, name, value, ref error);
                    error ??= value is null ? $"{name} needs a value." : null;
                    break;
                default:
                    error = $"Unknown option '{arg}'.";
                    break;
            }

            if (error is not null)
            {
                return (null, error);
            }
        }

        options = options with { DrivesShopper = options.Shopper != ShopperBehaviour.Pays || payAfterGiven };
        if (options.UseRealGateway == true && options.DrivesShopper)
        {
            return (null, $"{ShopperOptionsRefused} with --real.");
        }

        if (options.SimulatorUrl is not null && (options.UseRealGateway is not null || options.Shopper != ShopperBehaviour.Pays || payAfterGiven || options.Fault is not null))
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

    /// <summary>Parses a duration: <c>500ms</c>, <c>3s</c>, <c>2m</c>, or a plain number of seconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        string trimmed = text.Trim();
        (string number, double scale) = trimmed switch
        {
            _ when trimmed.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (trimmed[..^2], 1d),
            _ when trimmed.EndsWith('s') || trimmed.EndsWith('S') => (trimmed[..^1], 1_000d),
            _ when trimmed.EndsWith('m') || trimmed.EndsWith('M') => (trimmed[..^1], 60_000d),
            _ => (trimmed, 1_000d),
        };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value)
            || double.IsInfinity(value * scale) || value * scale > TimeSpan.FromDays(1).TotalMilliseconds)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(value * scale);
        return true;
    }

    private static PosOptions WithShopper(PosOptions options, ShopperBehaviour shopper, ref string? error)
    {
        if (options.Shopper != ShopperBehaviour.Pays && options.Shopper != shopper)
        {
            error = "--cancel and --no-pay cannot be used together.";
        }

        return options with { Shopper = shopper };
    }

    private static PosOptions WithValue(PosOptions options, string name, string value, ref string? error)
    {
        switch (name)
        {
            case "--amount":
                if (TryParseAmount(value, out decimal amount, out error))
                {
                    return options with { Amount = amount };
                }

                error = $"--amount: {error}";
                return options;
            case "--description":
                if (string.IsNullOrWhiteSpace(value))
                {
                    error = "--description must not be blank.";
                    return options;
                }

                return options with { Description = value.Trim() };
            case "--wallet":
                AlipayHkWallet? wallet = value.Trim().ToUpperInvariant() switch
                {
                    "ALIPAYHK" or "HK" => AlipayHkWallet.AlipayHk,
                    "ALIPAYCN" or "CN" => AlipayHkWallet.AlipayCn,
                    _ => null,
                };
                if (wallet is null)
                {
                    error = $"--wallet: '{value}' is not a wallet; use alipayhk or alipaycn.";
                    return options;
                }

                return options with { Wallet = wallet.Value };
            case "--order-id":
                if (value.Length is < 1 or > 32 || value.Any(c => c is < '!' or > '~'))
                {
                    error = "--order-id must be 1 to 32 printable ASCII characters, without spaces.";
                    return options;
                }

                return options with { MerchantOrderId = value };
            case "--timeout":
                if (!TryParseDuration(value, out TimeSpan timeout) || timeout <= TimeSpan.Zero)
                {
                    error = $"--timeout: '{value}' is not a positive duration, such as 60s.";
                    return options;
                }

                return options with { Timeout = timeout };
            case "--pay-after":
                if (!TryParseDuration(value, out TimeSpan payAfter))
                {
                    error = $"--pay-after: '{value}' is not a duration, such as 3s.";
                    return options;
                }

                return options with { PayAfter = payAfter };
            default: // --notify-url, --listen, --simulator-url
                if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                {
                    error = $"{name}: '{value}' is not an absolute http(s) URL.";
                    return options;
                }

                return name switch
                {
                    "--listen" => options with { ListenUrl = url },
                    "--simulator-url" => options with { SimulatorUrl = url },
                    _ => options with { NotifyUrl = url },
                };
        }
    }
}
