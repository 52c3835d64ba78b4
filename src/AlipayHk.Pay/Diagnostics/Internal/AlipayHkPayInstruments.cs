using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AlipayHk.Pay.Diagnostics;

/// <summary>
/// The SDK's <see cref="ActivitySource"/> and instruments. One per app (the meter comes from the app's
/// <see cref="IMeterFactory"/>, so tests and hosts that keep their own factory see only their own measurements).
/// With no listener nothing here allocates: <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns
/// <see langword="null"/> and each instrument's <see cref="Instrument.Enabled"/> is false.
/// </summary>
internal sealed class AlipayHkPayInstruments
{
    internal static readonly ActivitySource Source = new(AlipayHkPayTelemetry.ActivitySourceName, typeof(AlipayHkPayInstruments).Assembly.GetName().Version?.ToString());

    public AlipayHkPayInstruments(IMeterFactory meters)
    {
        Meter meter = meters.Create(new MeterOptions(AlipayHkPayTelemetry.MeterName) { Version = Source.Version });
        OperationDuration = meter.CreateHistogram<double>(
            TelemetryNames.OperationDuration,
            unit: "s",
            description: "How long each public SDK operation took, its retries and recovery included.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });
        CreateRecoveries = meter.CreateCounter<long>(
            TelemetryNames.CreateRecoveries,
            unit: "{recovery}",
            description: "Creates whose answer was lost and that the SDK resolved by querying: found, resent, unknown or not_created.");
        WebhookDeliveries = meter.CreateCounter<long>(
            TelemetryNames.WebhookDeliveries,
            unit: "{delivery}",
            description: "Webhook deliveries answered, by outcome: accepted, duplicate, rejected (with alipayhk.webhook.reason), unconfirmed or failed.");
        Outcomes = meter.CreateCounter<long>(
            TelemetryNames.Outcomes,
            unit: "{outcome}",
            description: "Final outcomes offered to the outcome handler, by result (handled, duplicate, failed) and source (webhook, wait, query, reconciliation); also payments expired past the tracking horizon and creates found not created.");
        TokenFetches = meter.CreateCounter<long>(
            TelemetryNames.TokenFetches,
            unit: "{fetch}",
            description: "Access token fetches from the token source; error.type on failure.");
    }

    internal Histogram<double> OperationDuration { get; }

    internal Counter<long> CreateRecoveries { get; }

    internal Counter<long> TokenFetches { get; }

    internal Counter<long> WebhookDeliveries { get; }

    internal Counter<long> Outcomes { get; }

    /// <summary>Counts an outcome offered to the handler (<c>handled</c>, <c>duplicate</c>, <c>failed</c>), or a payment that will have none (<c>expired</c>, <c>not_created</c>).</summary>
    internal void CountOutcome(string result, PaymentOutcomeSource source, string? merchant) =>
        Add(Outcomes, merchant, TelemetryNames.OutcomeResult, result, TelemetryNames.OutcomeSource, SourceName(source));

    private static string SourceName(PaymentOutcomeSource source) => source switch
    {
        PaymentOutcomeSource.Webhook => "webhook",
        PaymentOutcomeSource.Wait => "wait",
        PaymentOutcomeSource.Query => "query",
        _ => "reconciliation",
    };

    /// <summary>Counts one webhook delivery by how it ended, and for a rejection why.</summary>
    internal void CountDelivery(string outcome, string? reason, string? merchant) =>
        Add(WebhookDeliveries, merchant, TelemetryNames.WebhookOutcome, outcome, TelemetryNames.WebhookReason, reason);

    /// <summary>Counts a create's recovery: <c>found</c>, <c>resent</c>, <c>unknown</c> or <c>not_created</c>.</summary>
    internal void CountRecovery(string outcome, string? merchant) => Add(CreateRecoveries, merchant, TelemetryNames.CreateRecovery, outcome);

    /// <summary>Counts a token fetch; <paramref name="errorType"/> is its <c>error.type</c> when it failed.</summary>
    internal void CountTokenFetch(string? errorType, string? merchant) => Add(TokenFetches, merchant, TelemetryNames.ErrorType, errorType);

    /// <summary>
    /// A measurement's tags: each tag whose value is not <see langword="null"/>, then the merchant's when it has a name.
    /// Built only when the instrument is enabled.
    /// </summary>
    internal static TagList Tags(string? merchant, string tag, string? value, string? otherTag = null, string? otherValue = null)
    {
        var tags = default(TagList);
        if (value is not null)
        {
            tags.Add(tag, value);
        }

        if (otherValue is not null)
        {
            tags.Add(otherTag!, otherValue);
        }

        if (merchant is not null)
        {
            tags.Add(TelemetryNames.Merchant, merchant);
        }

        return tags;
    }

    /// <summary>Adds one to <paramref name="counter"/> with <see cref="Tags"/>, when anyone listens (nothing is built otherwise).</summary>
    private static void Add(Counter<long> counter, string? merchant, string tag, string? value, string? otherTag = null, string? otherValue = null)
    {
        if (counter.Enabled)
        {
            counter.Add(1, Tags(merchant, tag, value, otherTag, otherValue));
        }
    }
}
