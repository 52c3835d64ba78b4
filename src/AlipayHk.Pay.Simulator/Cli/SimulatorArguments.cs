using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;

namespace AlipayHk.Pay.Simulator.Cli;

/// <summary>
/// Reads the command line (System.CommandLine) into configuration keys (<c>Simulator:Uid</c>,
/// <c>Simulator:Merchants:0:Name</c>, <c>urls</c>), so that flags, environment variables (<c>Simulator__Uid</c>,
/// <c>ASPNETCORE_URLS</c>) and an appsettings file all meet in one place; a flag wins. The values are checked where
/// every source is: <see cref="Hosting.SimulatorSettings"/>.
/// </summary>
internal static class SimulatorArguments
{
    public const string Usage = """
        Usage: alipayhk-simulator [options]
               dotnet run --project src/AlipayHk.Pay.Simulator -- [options]

        A stateful fake of the Alipay HK (CBTIS) gateway: the gateway's API, a dashboard at / and a control API
        under /simulator/api. Every option can also be set by an environment variable (in brackets).

        Server:
          --urls <urls>                  where to listen, ';' between several (ASPNETCORE_URLS; default http://127.0.0.1:5380)
                                         loopback unless told otherwise: beyond loopback (http://0.0.0.0:5380) it needs
                                         a control token
          --public-url <url>             the address clients reach it at, for QR codes and the banner (Simulator__PublicUrl;
                                         default: the first address it listens on); requests must name this host, one it
                                         listens on, or localhost
          --control-token <token>        a secret of 16 characters or more that the dashboard and the control API then
                                         require (Simulator__ControlToken; default none: loopback only). Scripts send
                                         "Authorization: Bearer <token>"; a browser enters it once on the dashboard.
                                         Prefer the environment variable: a command line is visible to other users

        The default merchant:
          --uid <uid>                    merchant number (Simulator__Uid; default 10000001)
          --client-secret <secret>       client secret (Simulator__ClientSecret; default simulator-client-secret)
          --webhook-key <key>            key that signs its callbacks (Simulator__WebhookKey; default: the client secret)

        More merchants (repeat the option; missing parts are generated):
          --merchant <name[:uid[:secret[:webhook-key]]]>
                                         (Simulator__Merchants__0__Name, Simulator__Merchants__0__Uid, __ClientSecret, __WebhookKey)

        Gateway behaviour:
          --signature-header <name>      header that carries the callback signature (Simulator__SignatureHeader; default Signature)
          --auto-pay-after <duration>    the shopper pays every new payment after this long (Simulator__AutoPayAfter; default never)
          --payment-timeout <duration>   unpaid payments are closed (CANCELLED) after this long (Simulator__PaymentTimeout; default never)
          --callback-time-scale <factor> multiplies the callback retry schedule (15 s, 30 s, ... 14400 s); 0.01 makes it
                                         100 times faster (Simulator__CallbackTimeScale; default 1)

          -h, --help                     show this help

        Durations: 500ms, 3s, 2m, or a number of seconds.
        Exit codes: 0 stopped (Ctrl+C, SIGTERM), 1 could not listen, 64 bad options or settings.
        """;

    /// <summary>The default address: loopback only.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5380";

    /// <summary>The configuration key of the control token (<c>Simulator__ControlToken</c>).</summary>
    public const string ControlTokenKey = "Simulator:ControlToken";

    /// <summary>Each option that sets one configuration key, with that key.</summary>
    private static readonly (string Flag, string Key)[] Settings =
    [
        ("--urls", "urls"),
        ("--public-url", "Simulator:PublicUrl"),
        ("--control-token", ControlTokenKey),
        ("--uid", "Simulator:Uid"),
        ("--client-secret", "Simulator:ClientSecret"),
        ("--webhook-key", "Simulator:WebhookKey"),
        ("--signature-header", "Simulator:SignatureHeader"),
        ("--auto-pay-after", "Simulator:AutoPayAfter"),
        ("--payment-timeout", "Simulator:PaymentTimeout"),
        ("--callback-time-scale", "Simulator:CallbackTimeScale"),
    ];

    private static readonly string[] MerchantFields = ["Name", "Uid", "ClientSecret", "WebhookKey"];

    /// <summary>The options the command line knows, for a test that checks <see cref="Usage"/> lists each.</summary>
    public static IEnumerable<string> Flags => Command().Options.Select(option => option.Name);

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <returns>The configuration values, whether help was asked for, or an error naming the bad option.</returns>
    public static (Dictionary<string, string?> Values, bool Help, string? Error) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        Command command = Command();
        ParseResult result = command.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.GetResult(command.Options.OfType<HelpOption>().Single()) is not null)
        {
            return (values, true, null);
        }

        if (FirstError(result) is { } error)
        {
            return (values, false, error);
        }

        foreach (Option<string> option in command.Options.OfType<Option<string>>())
        {
            if (result.GetResult(option) is not null)
            {
                values[Settings.Single(s => s.Flag == option.Name).Key] = result.GetValue(option);
            }
        }

        string[] merchants = result.GetValue(command.Options.OfType<Option<string[]>>().Single()) ?? [];
        for (int i = 0; i < merchants.Length; i++)
        {
            string[] parts = merchants[i].Split(':');
            for (int part = 0; part < parts.Length; part++)
            {
                values[string.Create(CultureInfo.InvariantCulture, $"Simulator:Merchants:{i}:{MerchantFields[part]}")] = parts[part];
            }
        }

        return (values, false, null);
    }

    private static Command Command()
    {
        var command = new Command("alipayhk-simulator") { new HelpOption() };
        foreach ((string flag, _) in Settings)
        {
            var option = new Option<string>(flag);
            option.Validators.Add(NotBlank);
            command.Options.Add(option);
        }

        var merchant = new Option<string[]>("--merchant") { Arity = ArgumentArity.OneOrMore };
        merchant.Validators.Add(NotBlank);
        merchant.Validators.Add(result =>
        {
            foreach (string value in result.Tokens.Select(t => t.Value))
            {
                string[] parts = value.Split(':');
                if (parts.Length > 4 || string.IsNullOrWhiteSpace(parts[0]) || parts.Skip(1).Any(string.IsNullOrEmpty))
                {
                    result.AddError($"--merchant '{value}' is not name[:uid[:client-secret[:webhook-key]]], such as shop-b:20000002:secret-b:key-b.");
                }
            }
        });
        command.Options.Add(merchant);
        return command;
    }

    private static void NotBlank(OptionResult result)
    {
        if (result.Tokens.Count == 0 || result.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value)))
        {
            result.AddError($"{result.Option.Name} needs a value.");
        }
    }

    /// <summary>The first problem, in words that name the option: an unknown option, or a missing or bad value.</summary>
    private static string? FirstError(ParseResult result)
    {
        if (result.UnmatchedTokens.Count > 0)
        {
            return $"Unknown option '{result.UnmatchedTokens[0]}'. Run with --help for the options.";
        }

        ParseError? error = result.Errors.Count > 0 ? result.Errors[0] : null;
        return error?.SymbolResult is OptionResult { Tokens.Count: 0 } missing
            ? $"{missing.Option.Name} needs a value."
            : error?.Message;
    }
}
