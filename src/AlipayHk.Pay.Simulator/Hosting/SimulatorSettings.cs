using System.Globalization;
using AlipayHk.Pay.Simulator.Cli;
using AlipayHk.Pay.Simulator.Security;
using AlipayHk.Pay.Testing;
using Microsoft.Extensions.Configuration;

namespace AlipayHk.Pay.Simulator.Hosting;

/// <summary>The server's settings, read from the <c>Simulator</c> section (flags, <c>Simulator__*</c> variables, appsettings.json).</summary>
internal sealed class SimulatorSettings
{
    /// <summary>The default merchant's uid: fixed, so that a client's settings survive a restart.</summary>
    public const string DefaultUid = "10000001";

    /// <summary>The default merchant's client secret: fixed and plainly fake.</summary>
    public const string DefaultClientSecret = "simulator-client-secret";

    public required AlipayHkGatewaySimulatorOptions Options { get; init; }

    public required string[] Urls { get; init; }

    public Uri? PublicUrl { get; init; }

    /// <summary>The token the dashboard and the control API require, or <see langword="null"/> for none (loopback only).</summary>
    public ControlToken? ControlToken { get; init; }

    /// <summary>Where the credentials came from, merchant by merchant (the default first): what the banner may print.</summary>
    public required IReadOnlyList<CredentialSources> Credentials { get; init; }

    /// <summary>
    /// Reads the settings; a bad value is refused with a message naming its flag and variable (never a secret's value).
    /// <paramref name="flags"/>: the keys the command line set, so that the banner can name where a credential came from.
    /// </summary>
    public static (SimulatorSettings? Settings, string? Error) Read(IConfiguration configuration, IReadOnlyDictionary<string, string?>? flags = null)
    {
        IConfigurationSection section = configuration.GetSection("Simulator");
        string Source(string key, string flag) =>
            flags?.ContainsKey(key) == true ? flag : key.Replace(":", "__", StringComparison.Ordinal);
        var options = new AlipayHkGatewaySimulatorOptions
        {
            Uid = NonEmpty(section["Uid"]) ?? DefaultUid,
            ClientSecret = NonEmpty(section["ClientSecret"]) ?? DefaultClientSecret,
            WebhookKey = NonEmpty(section["WebhookKey"]),
            SignatureHeader = NonEmpty(section["SignatureHeader"]) ?? "Signature",
        };

        string? error = null;
        options.AutoPayAfter = Duration(section, "AutoPayAfter", "--auto-pay-after", ref error);
        options.PaymentTimeout = Duration(section, "PaymentTimeout", "--payment-timeout", ref error);
        if (NonEmpty(section["CallbackTimeScale"]) is { } scaleText)
        {
            if (double.TryParse(scaleText, NumberStyles.Float, CultureInfo.InvariantCulture, out double scale) && scale >= 0 && !double.IsInfinity(scale))
            {
                options.CallbackTimeScale = scale;
            }
            else
            {
                error ??= $"--callback-time-scale (Simulator__CallbackTimeScale): '{scaleText}' is not a number of 0 or more, such as 0.01.";
            }
        }

        string? clientSecretSource = NonEmpty(section["ClientSecret"]) is null ? null : Source("Simulator:ClientSecret", "--client-secret");
        var credentials = new List<CredentialSources>
        {
            new(clientSecretSource, options.WebhookKey is null ? clientSecretSource : Source("Simulator:WebhookKey", "--webhook-key")),
        };
        foreach (IConfigurationSection merchant in section.GetSection("Merchants").GetChildren().OrderBy(m => int.TryParse(m.Key, out int i) ? i : int.MaxValue))
        {
            options.Merchants.Add(new SimulatedMerchant
            {
                Name = NonEmpty(merchant["Name"]),
                Uid = NonEmpty(merchant["Uid"]),
                ClientSecret = NonEmpty(merchant["ClientSecret"]),
                WebhookKey = NonEmpty(merchant["WebhookKey"]),
            });
            credentials.Add(new(
                NonEmpty(merchant["ClientSecret"]) is null ? null : Source(merchant.Path + ":ClientSecret", "--merchant"),
                NonEmpty(merchant["WebhookKey"]) is null ? null : Source(merchant.Path + ":WebhookKey", "--merchant")));
        }

        ControlToken? controlToken = null;
        if (NonEmpty(section["ControlToken"]) is { } token)
        {
            if (token.Length >= ControlToken.MinimumLength)
            {
                controlToken = new ControlToken(token, Source(SimulatorArguments.ControlTokenKey, "--control-token"));
            }
            else
            {
                error ??= $"--control-token (Simulator__ControlToken) is too short: use {ControlToken.MinimumLength} characters or more, such as the output of 'openssl rand -hex 16'.";
            }
        }

        Uri? publicUrl = null;
        if (NonEmpty(section["PublicUrl"]) is { } publicText
            && (!Uri.TryCreate(publicText, UriKind.Absolute, out publicUrl) || (publicUrl.Scheme != Uri.UriSchemeHttp && publicUrl.Scheme != Uri.UriSchemeHttps)))
        {
            error ??= $"--public-url (Simulator__PublicUrl): '{publicText}' is not an absolute http(s) URL.";
        }

        string[] urls = (NonEmpty(configuration["urls"]) ?? SimulatorArguments.DefaultUrls)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length == 0)
        {
            error ??= "--urls (ASPNETCORE_URLS) names no address.";
        }

        error ??= Exposure.Refusal(urls, publicUrl, controlToken);
        return error is null
            ? (new SimulatorSettings { Options = options, Urls = urls, PublicUrl = publicUrl, ControlToken = controlToken, Credentials = credentials }, null)
            : (null, error);
    }

    private static TimeSpan? Duration(IConfigurationSection section, string key, string flag, ref string? error)
    {
        if (NonEmpty(section[key]) is not { } text)
        {
            return null;
        }

        if (Durations.TryParse(text, out TimeSpan duration) && duration > TimeSpan.Zero)
        {
            return duration;
        }

        error ??= $"{flag} (Simulator__{key}): '{text}' is not a positive duration, such as 3s.";
        return null;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>
/// Where a merchant's client secret and webhook key came from, when they were passed in: a flag (<c>--client-secret</c>)
/// or a variable (<c>Simulator__ClientSecret</c>). <see langword="null"/>: a fake default or a generated value, safe to print.
/// </summary>
internal sealed record CredentialSources(string? ClientSecret, string? WebhookKey);
