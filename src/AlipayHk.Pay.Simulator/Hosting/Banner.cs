using AlipayHk.Pay.Testing;

namespace AlipayHk.Pay.Simulator.Hosting;

/// <summary>
/// What the server prints at start: where it is, who may drive it, and what a client needs to use it, ready to paste.
/// The simulator's fake defaults and generated values are printed; a secret that was passed in (a client secret, a
/// webhook key, the control token) is not: the banner names the flag or variable it came from.
/// </summary>
internal static class Banner
{
    public static void Write(TextWriter output, AlipayHkGatewaySimulator simulator, IReadOnlyList<string> listening, SimulatorSettings settings)
    {
        Uri address = simulator.BaseAddress;
        output.WriteLine("Alipay HK gateway simulator (AlipayHk.Pay.Simulator): a fake CBTIS gateway, no real money.");
        output.WriteLine($"  Listening on   {string.Join(", ", listening)}");
        output.WriteLine($"  Base address   {address}");
        output.WriteLine($"  Dashboard      {address}");
        output.WriteLine($"  Control API    {new Uri(address, "simulator/api/")}");
        output.WriteLine(settings.ControlToken is { } token
            ? $"  Access         the control token of {token.Source} (not printed): scripts send \"Authorization: Bearer <token>\", a browser signs in on the dashboard"
            : "  Access         this machine only (loopback), no control token");
        bool passed = false;
        for (int i = 0; i < simulator.Merchants.Count; i++)
        {
            SimulatedMerchant merchant = simulator.Merchants[i];
            CredentialSources sources = settings.Credentials[i];
            passed |= sources.ClientSecret is not null || sources.WebhookKey is not null;
            output.WriteLine();
            output.WriteLine($"Merchant \"{merchant.Name}\": uid {merchant.Uid}, client secret {Shown(merchant.ClientSecret!, sources.ClientSecret)}, webhook key {Shown(merchant.WebhookKey!, sources.WebhookKey)}"
                + (i == 0 && sources.ClientSecret is null && sources.WebhookKey is null ? " (the simulator's fake defaults)" : string.Empty));
            output.WriteLine("  Point the SDK at it with these environment variables:");
            output.WriteLine($"  export AlipayHkPay__BaseAddress={address}");
            output.WriteLine($"  export AlipayHkPay__Uid={merchant.Uid}");
            output.WriteLine($"  export AlipayHkPay__ClientSecret={Pasted(merchant.ClientSecret!, sources.ClientSecret)}");
            output.WriteLine($"  export AlipayHkPay__WebhookKey={Pasted(merchant.WebhookKey!, sources.WebhookKey)}");
            output.WriteLine($"  export AlipayHkPay__WebhookSignatureHeader={simulator.SignatureHeader}");
        }

        output.WriteLine();
        output.WriteLine(passed
            ? "Credentials you passed are not printed: the lines above name where they came from. Press Ctrl+C to stop."
            : "These are the simulator's own fake credentials. Press Ctrl+C to stop.");
        output.Flush();
    }

    /// <summary>A fake value as it is; a passed one as where it came from.</summary>
    private static string Shown(string value, string? source) => source is null ? value : $"(as passed in {source}, not printed)";

    /// <summary>A fake value as it is; a passed one as the variable that holds it, or a placeholder naming its flag.</summary>
    private static string Pasted(string value, string? source) => source switch
    {
        null => value,
        _ when source.StartsWith("--", StringComparison.Ordinal) => $"\"<the value passed in {source}>\"",
        _ => $"\"${source}\"",
    };
}
