using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace AlipayHk.Pay.AspNetCore.Diagnostics;

/// <summary>
/// The webhook endpoint's counter, <c>alipayhk.webhook.deliveries</c>, on the SDK's meter (<see cref="AlipayHkPayTelemetry.MeterName"/>)
/// from the app's <see cref="IMeterFactory"/>: one set per factory, so per app, however many endpoints it maps. With no
/// listener, counting is a check of <see cref="Instrument.Enabled"/> and nothing more.
/// </summary>
internal sealed class WebhookDeliveryInstruments
{
    internal const string DeliveriesName = "alipayhk.webhook.deliveries";
    internal const string OutcomeTag = "alipayhk.webhook.outcome";
    internal const string ReasonTag = "alipayhk.webhook.reason";

    private static readonly ConditionalWeakTable<IMeterFactory, WebhookDeliveryInstruments> PerFactory = new();

    /// <summary>For an app without an <see cref="IMeterFactory"/> (AddAlipayHkPay registers one): a meter of its own.</summary>
    private static readonly Lazy<WebhookDeliveryInstruments> Unowned = new(() => new WebhookDeliveryInstruments(new Meter(Options())));

    private readonly Counter<long> _deliveries;

    private WebhookDeliveryInstruments(Meter meter) =>
        _deliveries = meter.CreateCounter<long>(
            DeliveriesName,
            unit: "{delivery}",
            description: "Webhook deliveries the endpoint answered, by outcome: accepted, duplicate, rejected (with alipayhk.webhook.reason), unconfirmed or failed.");

    /// <summary>The instruments of the app whose meters <paramref name="meters"/> makes.</summary>
    internal static WebhookDeliveryInstruments For(IMeterFactory? meters) =>
        meters is null ? Unowned.Value : PerFactory.GetValue(meters, static factory => new WebhookDeliveryInstruments(factory.Create(Options())));

    /// <summary>Counts one delivery.</summary>
    internal void Count(WebhookDelivery delivery)
    {
        if (_deliveries.Enabled)
        {
            var tags = new TagList { { OutcomeTag, delivery.Outcome } };
            if (delivery.Reason is { } reason)
            {
                tags.Add(ReasonTag, reason);
            }

            _deliveries.Add(1, tags);
        }
    }

    /// <summary>The SDK's meter: the same name and version as the core package's, so a factory hands out the same <see cref="Meter"/>.</summary>
    private static MeterOptions Options() =>
        new(AlipayHkPayTelemetry.MeterName) { Version = typeof(AlipayHkPayTelemetry).Assembly.GetName().Version?.ToString() };
}

/// <summary>How one webhook delivery ended: an <c>alipayhk.webhook.outcome</c>, and for a rejection its <c>alipayhk.webhook.reason</c>.</summary>
internal readonly record struct WebhookDelivery(string Outcome, string? Reason = null)
{
    /// <summary>The handler ran and returned.</summary>
    internal static readonly WebhookDelivery Accepted = new("accepted");

    /// <summary>Already handled, or being handled by another delivery.</summary>
    internal static readonly WebhookDelivery Duplicate = new("duplicate");

    /// <summary>A <c>payment_success</c> the gateway does not confirm (still pending).</summary>
    internal static readonly WebhookDelivery Unconfirmed = new("unconfirmed");

    /// <summary>Not handled, and the gateway should deliver it again: the gateway could not be asked, the duplicate store or the handler failed, the app is misconfigured, or the caller hung up.</summary>
    internal static readonly WebhookDelivery Failed = new("failed");

    /// <summary>Refused for what it is: no or a wrong signature, a malformed body, or one too large.</summary>
    internal static WebhookDelivery Rejected(WebhookFailureReason reason) => new("rejected", reason switch
    {
        WebhookFailureReason.MissingSignature => "missing_signature",
        WebhookFailureReason.SignatureMismatch => "signature_mismatch",
        WebhookFailureReason.MalformedPayload => "malformed_payload",
        WebhookFailureReason.TooLarge => "too_large",
        _ => "unknown",
    });
}
