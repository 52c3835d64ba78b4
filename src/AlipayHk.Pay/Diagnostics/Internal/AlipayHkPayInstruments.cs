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
        TokenFetches = meter.CreateCounter<long>(
            TelemetryNames.TokenFetches,
            unit: "{fetch}",
            description: "Access token fetches from the token source; error.type on failure.");
    }

    internal Histogram<double> OperationDuration { get; }

    internal Counter<long> CreateRecoveries { get; }

    internal Counter<long> TokenFetches { get; }
}
