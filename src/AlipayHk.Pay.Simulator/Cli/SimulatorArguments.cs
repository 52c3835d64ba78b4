using System.Globalization;
using System.Text.RegularExpressions;

namespace AlipayHk.Pay.Simulator.Cli;

/// <summary>
/// Reads the command line into configuration keys (<c>Simulator:Uid</c>, <c>Simulator:Merchants:0:Name</c>, <c>urls</c>),
/// so that flags, environment variables (<c>Simulator__Uid</c>, <c>ASPNETCORE_URLS</c>) and an appsettings file all
/// meet in one place; a flag wins. Hand-written and small: <c>--name value</c> or <c>--name=value</c>.
/// </summary>
internal static partial class SimulatorArguments
{
    public const string Usage = """
        Usage: alipayhk-simulator [options]
               dotnet run --project src/AlipayHk.Pay.Simulator -- [options]

        A stateful fake of the Alipay HK (CBTIS) gateway: the gateway's API, a dashboard at / and a control API
        under /simulator/api. Every option can also be set by an environment variable (in brackets).

        Server:
          --urls <urls>                  where to listen, ';' between several (ASPNETCORE_URLS; default http://127.0.0.1:5380)
                                         loopback unless told otherwise: http://0.0.0.0:5380 opens it to the network
          --public-url <url>             the address clients reach it at, for QR codes and the banner (Simulator__PublicUrl;
                                         default: the first address it listens on)

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
        """;

    /// <summary>The default address: loopback only.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5380";

    private static readonly Dictionary<string, string> Keys = new(StringComparer.Ordinal)
    {
        ["--urls"] = "urls",
        ["--public-url"] = "Simulator:PublicUrl",
        ["--uid"] = "Simulator:Uid",
        ["--client-secret"] = "Simulator:ClientSecret",
        ["--webhook-key"] = "Simulator:WebhookKey",
        ["--signature-header"] = "Simulator:SignatureHeader",
        ["--auto-pay-after"] = "Simulator:AutoPayAfter",
        ["--payment-timeout"] = "Simulator:PaymentTimeout",
        ["--callback-time-scale"] = "Simulator:CallbackTimeScale",
    };

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <returns>The configuration values, whether help was asked for, or an error naming the bad option.</returns>
    public static (Dictionary<string, string?> Values, bool Help, string? Error) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        int merchants = 0;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg is "-h" or "--help" or "-?")
            {
                return (values, true, null);
            }

            string name = arg;
            string? value = null;
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                name = arg[..equals];
                value = arg[(equals + 1)..];
            }

            if (name != "--merchant" && !Keys.ContainsKey(name))
            {
                return (values, false, $"Unknown option '{arg}'. Run with --help for the options.");
            }

            value ??= i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
            if (string.IsNullOrWhiteSpace(value))
            {
                return (values, false, $"{name} needs a value.");
            }

            if (name == "--merchant")
            {
                string[] parts = value.Split(':');
                if (parts.Length > 4 || string.IsNullOrWhiteSpace(parts[0]) || parts.Skip(1).Any(string.IsNullOrEmpty))
                {
                    return (values, false, $"--merchant '{value}' is not name[:uid[:client-secret[:webhook-key]]], such as shop-b:20000002:secret-b:key-b.");
                }

                string prefix = string.Create(CultureInfo.InvariantCulture, $"Simulator:Merchants:{merchants++}:");
                string[] fields = ["Name", "Uid", "ClientSecret", "WebhookKey"];
                for (int part = 0; part < parts.Length; part++)
                {
                    values[prefix + fields[part]] = parts[part];
                }

                continue;
            }

            values[Keys[name]] = value;
        }

        return (values, false, null);
    }

    /// <summary>Parses a duration: <c>500ms</c>, <c>3s</c>, <c>2m</c>, or a plain number of seconds; at most a day.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        Match match = DurationPattern().Match(text);
        double milliseconds = match.Success
            ? double.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture) * match.Groups["unit"].Value.ToUpperInvariant() switch { "MS" => 1, "M" => 60_000, _ => 1_000 }
            : double.NaN;
        duration = milliseconds <= TimeSpan.FromDays(1).TotalMilliseconds ? TimeSpan.FromMilliseconds(milliseconds) : default;
        return milliseconds <= TimeSpan.FromDays(1).TotalMilliseconds;
    }

    [GeneratedRegex(@"^\s*(?<number>[0-9]+(\.[0-9]+)?)\s*(?<unit>ms|s|m)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
