using AlipayHk.Pay;

namespace PosTerminal.Cli;

/// <summary>What the simulated shopper does once the QR code is on screen.</summary>
internal enum ShopperBehaviour
{
    /// <summary>Scans and pays after <see cref="PosOptions.PayAfter"/>.</summary>
    Pays,

    /// <summary>Gives up after <see cref="PosOptions.PayAfter"/>: the order is closed (CANCELLED).</summary>
    Cancels,

    /// <summary>Never pays: the terminal gives up after <see cref="PosOptions.Timeout"/>.</summary>
    WalksAway,
}

/// <summary>One sale, as given on the command line or at the prompts.</summary>
internal sealed record PosOptions
{
    public const decimal DefaultAmount = 38.00m;
    public const string DefaultDescription = "Milk tea x2";

    /// <summary>The amount in HKD.</summary>
    public decimal Amount { get; init; } = DefaultAmount;

    /// <summary>What the shopper pays for.</summary>
    public string Description { get; init; } = DefaultDescription;

    /// <summary>The wallet the shopper pays with.</summary>
    public AlipayHkWallet Wallet { get; init; } = AlipayHkWallet.AlipayHk;

    /// <summary>Simulator only: when the simulated shopper acts, after the QR code is shown.</summary>
    public TimeSpan PayAfter { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Simulator only: what the simulated shopper does.</summary>
    public ShopperBehaviour Shopper { get; init; } = ShopperBehaviour.Pays;

    /// <summary>How long to wait for the payment.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait for the webhook once a query already shows the payment paid.</summary>
    public TimeSpan WebhookGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether <c>--pay-after</c>, <c>--cancel</c> or <c>--no-pay</c> was given: options for the simulated shopper only.</summary>
    public bool DrivesShopper { get; init; }

    /// <summary><see langword="true"/>: real gateway; <see langword="false"/>: simulator; <see langword="null"/>: real when configured.</summary>
    public bool? UseRealGateway { get; init; }

    /// <summary>Real gateway only: the public URL the gateway posts callbacks to.</summary>
    public Uri? NotifyUrl { get; init; }

    /// <summary>Real gateway only: where the local webhook receiver listens.</summary>
    public Uri? ListenUrl { get; init; }

    /// <summary>A standalone simulator (<c>alipayhk-simulator</c>) already running there: the terminal uses it instead of its own.</summary>
    public Uri? SimulatorUrl { get; init; }

    /// <summary>The merchant order id; generated when not given.</summary>
    public string? MerchantOrderId { get; init; }

    /// <summary>Simulator only: a gateway fault to inject, to watch the SDK recover (<c>--fault</c>); <see langword="null"/> for none.</summary>
    public SimulatedGatewayFault? Fault { get; init; }

    /// <summary>The sales database (<c>--sales-db</c>): a SQLite file; <see langword="null"/> for the default (see <see cref="PosEnvironment.SettingsDirectory"/>).</summary>
    public string? SalesDb { get; init; }

    /// <summary>Resolve the sales an earlier run left open, and start no new sale (<c>--resume</c>).</summary>
    public bool Resume { get; init; }

    /// <summary>Whether to print the sale's spans when it ends (<c>--trace</c>).</summary>
    public bool Trace { get; init; }

    /// <summary>Whether any option was given on the command line: then nothing is prompted.</summary>
    public bool HasFlags { get; init; }

    /// <summary>Whether <c>--help</c> was asked for.</summary>
    public bool ShowHelp { get; init; }
}
