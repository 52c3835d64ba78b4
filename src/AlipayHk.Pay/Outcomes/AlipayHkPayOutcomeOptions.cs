namespace AlipayHk.Pay;

/// <summary>
/// How the SDK tracks payments and resolves those still open (<c>AddAlipayHkPayOutcomes</c>). Validated when the app
/// starts; a bad value fails it with a message that names the setting. Bind from the <c>AlipayHkPay:Outcomes</c>
/// section, or set in code.
/// </summary>
public sealed class AlipayHkPayOutcomeOptions
{
    /// <summary>The configuration section: <c>AlipayHkPay:Outcomes</c>.</summary>
    public const string SectionName = "AlipayHkPay:Outcomes";

    /// <summary>
    /// How long after its create a payment is tracked while it stays open. Default 24 hours. The gateway closes unpaid
    /// orders after a time it does not publish; a payment still open past this is marked
    /// <see cref="TrackedPaymentState.Expired"/>, logged as a warning and counted (<c>alipayhk.outcomes.expired</c>), listed
    /// by the store, and no longer queried on the schedule (a webhook or a query still completes it).
    /// </summary>
    public TimeSpan TrackingHorizon { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long after its create the reconciler first looks at a payment that is still open. Default 1 minute: the
    /// webhook and the cashier's wait normally settle it sooner.
    /// </summary>
    public TimeSpan FirstCheckDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The shortest pause between two looks at one payment. Default 5 seconds. The pause grows with the payment's age (a
    /// tenth of it), up to <see cref="MaxCheckInterval"/>: every few seconds in its first minutes, every few minutes later.
    /// </summary>
    public TimeSpan MinCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest pause between two looks at one payment. Default 10 minutes.</summary>
    public TimeSpan MaxCheckInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many payments the reconciler looks at at once, per instance. Default 4.</summary>
    public int MaxConcurrentChecks { get; set; } = 4;

    /// <summary>The most gateway queries the reconciler makes per second, per instance. Default 10.</summary>
    public double MaxChecksPerSecond { get; set; } = 10;

    /// <summary>How long the reconciler sleeps when nothing is due, at most. Default 5 seconds.</summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether the reconciler runs in this instance. Default <see langword="true"/>; turn it off in an app that only reads the store.</summary>
    public bool ReconcilerEnabled { get; set; } = true;
}
