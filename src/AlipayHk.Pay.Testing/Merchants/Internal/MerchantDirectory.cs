using System.Globalization;
using System.Security.Cryptography;
using AlipayHk.Pay.Testing.Gateway.Internal;

namespace AlipayHk.Pay.Testing.Merchants.Internal;

/// <summary>One merchant as the simulator holds it: every value filled in, and fixed once the simulator is built.</summary>
internal sealed record MerchantAccount(string Name, string Uid, string ClientSecret, string WebhookKey)
{
    public SimulatedMerchant ToPublic() => new() { Name = Name, Uid = Uid, ClientSecret = ClientSecret, WebhookKey = WebhookKey };

    /// <inheritdoc />
    public override string ToString() => $"merchant {Name} (uid {Uid})"; // Never the secret or the key.
}

/// <summary>The merchants the simulator serves: the default one first, then those of the options.</summary>
internal sealed class MerchantDirectory
{
    /// <summary>The name of the merchant made of <see cref="AlipayHkGatewaySimulatorOptions.Uid"/>, <c>ClientSecret</c> and <c>WebhookKey</c>.</summary>
    public const string DefaultName = "default";

    private readonly Dictionary<string, MerchantAccount> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MerchantAccount> _byName = new(StringComparer.OrdinalIgnoreCase);

    public MerchantDirectory(AlipayHkGatewaySimulatorOptions options)
    {
        string defaultSecret = options.ClientSecret ?? GatewayJson.NewRequestId(); // 32 random lower-case hex characters.
        var all = new List<MerchantAccount>
        {
            Add(new MerchantAccount(
                DefaultName,
                options.Uid ?? NewUid(),
                defaultSecret,
                string.IsNullOrEmpty(options.WebhookKey) ? defaultSecret : options.WebhookKey)),
        };

        for (int i = 0; i < options.Merchants.Count; i++)
        {
            SimulatedMerchant given = options.Merchants[i]
                ?? throw new ArgumentException($"Merchants[{i}] is null.", nameof(options));
            if (string.IsNullOrWhiteSpace(given.Name))
            {
                throw new ArgumentException($"Merchants[{i}].Name is required: tests and the dashboard pick a merchant by name.", nameof(options));
            }

            if (_byName.ContainsKey(given.Name))
            {
                throw new ArgumentException(
                    string.Equals(given.Name, DefaultName, StringComparison.OrdinalIgnoreCase)
                        ? $"Merchants[{i}].Name '{given.Name}' is taken: 'default' is the merchant of Uid, ClientSecret and WebhookKey."
                        : $"Merchants[{i}].Name '{given.Name}' is used twice (names are compared ignoring case).",
                    nameof(options));
            }

            if (given.Uid is { } uid && _byUid.ContainsKey(uid))
            {
                throw new ArgumentException($"Merchants[{i}].Uid '{uid}' is used by another merchant: tokens are issued per uid.", nameof(options));
            }

            if (given.Uid is "" || given.ClientSecret is "" || given.WebhookKey is "")
            {
                throw new ArgumentException($"Merchants[{i}] ('{given.Name}'): Uid, ClientSecret and WebhookKey must not be empty; leave them unset to have them generated.", nameof(options));
            }

            all.Add(Add(new MerchantAccount(
                given.Name.Trim(),
                given.Uid ?? NewUid(),
                given.ClientSecret ?? GatewayJson.NewRequestId(),
                given.WebhookKey ?? GatewayJson.NewRequestId())));
        }

        All = all.AsReadOnly();
        Public = all.Select(account => account.ToPublic()).ToList().AsReadOnly();
    }

    /// <summary>Every merchant, the default first.</summary>
    public IReadOnlyList<MerchantAccount> All { get; }

    /// <summary>Copies of <see cref="All"/> for callers: changing one changes nothing in the simulator.</summary>
    public IReadOnlyList<SimulatedMerchant> Public { get; }

    public MerchantAccount Default => All[0];

    public MerchantAccount? ByUid(string? uid) => uid is not null && _byUid.TryGetValue(uid, out MerchantAccount? merchant) ? merchant : null;

    /// <summary>The merchant named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">There is none; the message lists the names.</exception>
    public MerchantAccount ByName(string name, string parameterName) =>
        _byName.TryGetValue(name, out MerchantAccount? merchant)
            ? merchant
            : throw new ArgumentException($"The simulator has no merchant named '{name}'. Its merchants: {string.Join(", ", All.Select(m => m.Name))}.", parameterName);

    private MerchantAccount Add(MerchantAccount merchant)
    {
        _byUid.Add(merchant.Uid, merchant);
        _byName.Add(merchant.Name, merchant);
        return merchant;
    }

    private string NewUid()
    {
        while (true)
        {
            string uid = RandomNumberGenerator.GetInt32(10_000_000, 100_000_000).ToString(CultureInfo.InvariantCulture);
            if (!_byUid.ContainsKey(uid))
            {
                return uid;
            }
        }
    }
}
