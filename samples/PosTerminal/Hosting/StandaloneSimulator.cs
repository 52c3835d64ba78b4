using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using AlipayHk.Pay;
using Microsoft.Extensions.Configuration;

namespace PosTerminal.Hosting;

/// <summary>
/// <c>--simulator-url</c>: a standalone simulator (<c>alipayhk-simulator</c>) already running, perhaps in another terminal.
/// Its control API tells the merchant's fake credentials; the terminal then runs as against any gateway, and a person
/// pays on the simulator's dashboard or pay page. A simulator started with a control token answers its control API only
/// to a caller that has it: the terminal sends <c>Simulator:ControlToken</c> (<c>Simulator__ControlToken</c>), the
/// variable the simulator itself reads.
/// </summary>
internal static class StandaloneSimulator
{
    /// <summary>The simulator's control token, in the configuration key the simulator reads it from.</summary>
    public const string ControlTokenKey = "Simulator:ControlToken";

    /// <summary>
    /// The <c>AlipayHkPay</c> settings for the simulator at <paramref name="simulatorUrl"/>, over <paramref name="configuration"/>:
    /// its default merchant, or the one whose uid <c>AlipayHkPay:Uid</c> names.
    /// </summary>
    /// <exception cref="HttpRequestException">The simulator cannot be reached, or refuses the control token (status 401).</exception>
    /// <exception cref="InvalidOperationException">It answers, but not as the simulator does, or has no such merchant.</exception>
    public static async Task<IConfiguration> ConfigurationAsync(Uri simulatorUrl, IConfiguration configuration, CancellationToken cancellationToken)
    {
        Uri root = simulatorUrl.AbsoluteUri.EndsWith('/') ? simulatorUrl : new Uri(simulatorUrl.AbsoluteUri + "/");
        using var http = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromSeconds(10) };
        if (configuration[ControlTokenKey] is { Length: > 0 } token)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        Merchant[] merchants;
        try
        {
            merchants = await http.GetFromJsonAsync<Merchant[]>("simulator/api/merchants", Json, cancellationToken) ?? [];
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"{root} does not answer as the simulator does ({ex.Message}).", ex);
        }

        string? uid = configuration[$"{AlipayHkPayOptions.SectionName}:{nameof(AlipayHkPayOptions.Uid)}"];
        Merchant merchant = merchants.FirstOrDefault(m => uid is null || m.Uid == uid)
            ?? throw new InvalidOperationException($"The simulator at {root} has no merchant with uid '{uid}'.");
        const string Section = AlipayHkPayOptions.SectionName + ":";
        return new ConfigurationBuilder()
            .AddConfiguration(configuration)
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [Section + nameof(AlipayHkPayOptions.BaseAddress)] = root.AbsoluteUri,
                [Section + nameof(AlipayHkPayOptions.Uid)] = merchant.Uid,
                [Section + nameof(AlipayHkPayOptions.ClientSecret)] = merchant.ClientSecret,
                [Section + nameof(AlipayHkPayOptions.WebhookKey)] = merchant.WebhookKey,
                [Section + nameof(AlipayHkPayOptions.WebhookSignatureHeader)] = merchant.SignatureHeader,
                [Section + nameof(AlipayHkPayOptions.PollInitialDelay)] = TimeSpan.FromMilliseconds(250).ToString("c", CultureInfo.InvariantCulture),
                [Section + nameof(AlipayHkPayOptions.PollMaxDelay)] = TimeSpan.FromSeconds(1).ToString("c", CultureInfo.InvariantCulture),
            })
            .Build();
    }

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>One entry of <c>GET /simulator/api/merchants</c>.</summary>
    private sealed record Merchant(string Name, string Uid, string ClientSecret, string WebhookKey, string SignatureHeader);
}
