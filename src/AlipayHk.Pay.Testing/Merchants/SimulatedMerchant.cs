namespace AlipayHk.Pay.Testing;

/// <summary>
/// One merchant the simulator serves, with its own uid, client secret and webhook key. Add some to
/// <see cref="AlipayHkGatewaySimulatorOptions.Merchants"/> to test an app that takes payments for several shops.
/// </summary>
/// <remarks>
/// Each merchant fetches its own tokens; a payment belongs to the merchant whose token created it, another
/// merchant's query does not find it, and its callbacks are signed with its merchant's <see cref="WebhookKey"/>.
/// <see cref="AlipayHkGatewaySimulator.Merchants"/> lists them with every value filled in.
/// </remarks>
public sealed class SimulatedMerchant
{
    /// <summary>What tests and the dashboard call this merchant, such as <c>shop-b</c>. Required; unique, ignoring case; <c>default</c> is taken.</summary>
    public string? Name { get; set; }

    /// <summary>The merchant number. Default: a generated one, such as <c>39172931</c>. Unique among the merchants.</summary>
    public string? Uid { get; set; }

    /// <summary>The client secret the simulator accepts for <see cref="Uid"/>. Default: 32 random hex characters. Not a real secret.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The key this merchant's callbacks are signed with. Default: 32 random hex characters, not the client secret.</summary>
    public string? WebhookKey { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"SimulatedMerchant {Name} (uid {Uid})";
}
