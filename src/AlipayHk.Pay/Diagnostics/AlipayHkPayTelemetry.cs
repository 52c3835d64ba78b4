namespace AlipayHk.Pay;

/// <summary>
/// The names to turn the SDK's traces and metrics on with, for example in OpenTelemetry:
/// <c>.WithTracing(t =&gt; t.AddSource(AlipayHkPayTelemetry.ActivitySourceName))</c> and
/// <c>.WithMetrics(m =&gt; m.AddMeter(AlipayHkPayTelemetry.MeterName))</c>. Every span, attribute and instrument is
/// listed in the repository's docs/hosting.md ("Traces and metrics"). None carries a secret or the QR code URL.
/// </summary>
public static class AlipayHkPayTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> of the SDK's spans: <c>AlipayHk.Pay</c>.</summary>
    public const string ActivitySourceName = "AlipayHk.Pay";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> of the SDK's instruments: <c>AlipayHk.Pay</c>.</summary>
    public const string MeterName = "AlipayHk.Pay";
}
