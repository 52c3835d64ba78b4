using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AlipayHk.Pay;

/// <summary>
/// A webhook callback whose signature was verified, parsed. It is what the caller <em>claims</em>: the callback has
/// no timestamp and its signature cannot stop a replay, so confirm a payment with the gateway before you act on
/// it (<see cref="IAlipayHkPayWebhookProcessor"/> does both).
/// </summary>
public sealed class WebhookNotification
{
    private static readonly StrongBox<JsonElement> EmptyData = new(WebhookPayloadParser.EmptyObject);

    /// <summary>The JSON that holds <see cref="Data"/> (a copy, validated), until <see cref="Data"/> is first read.</summary>
    private byte[]? _json;

    /// <summary>Whether <see cref="_json"/> is the whole callback (its <c>data</c> is taken out) or the <c>data</c> object itself.</summary>
    private readonly bool _jsonIsBody;

    /// <summary>The parsed <see cref="Data"/>, boxed so that it is published atomically: set once, by the first reader to finish parsing.</summary>
    private StrongBox<JsonElement>? _data;

    /// <param name="notifyType">The <c>notify_type</c>.</param>
    /// <param name="json">
    /// A copy of the callback's bytes (or of its <c>data</c> object's), already validated (syntax and depth);
    /// <see langword="null"/> when the callback had no <c>data</c> or a null one.
    /// </param>
    /// <param name="jsonIsBody">Whether <paramref name="json"/> is the whole callback rather than its <c>data</c>.</param>
    internal WebhookNotification(string notifyType, byte[]? json, bool jsonIsBody)
    {
        NotifyType = notifyType;
        _jsonIsBody = jsonIsBody;
        _json = json;
        _data = json is null ? EmptyData : null;
    }

    /// <summary>
    /// The <c>notify_type</c>, exactly as sent: one of <see cref="WebhookNotifyTypes"/>, or a type this SDK does
    /// not know (accepted, never rejected).
    /// </summary>
    public string NotifyType { get; }

    /// <summary>The gateway's order id (<c>data.order_id</c>), or <see langword="null"/> when absent.</summary>
    public string? OrderId { get; internal init; }

    /// <summary>The merchant's order id (<c>data.merchant_order_id</c>), or <see langword="null"/> when absent.</summary>
    public string? MerchantOrderId { get; internal init; }

    /// <summary>
    /// The status the callback claims: <see cref="PaymentStatus.Succeeded"/> for <c>payment_success</c>, otherwise
    /// <see cref="PaymentStatus.Unknown"/>. Not proof of payment: see <see cref="ConfirmedWebhook.Payment"/>.
    /// </summary>
    public PaymentStatus Status { get; internal init; }

    /// <summary>The refund fields for <c>refund_success</c> and <c>refund_failed</c>; <see langword="null"/> for other types.</summary>
    public WebhookRefund? Refund { get; internal init; }

    /// <summary>
    /// The callback's <c>data</c> object as sent, so fields the SDK does not model are not lost (an empty object when
    /// the callback had none). It stays valid after the request ends.
    /// </summary>
    /// <remarks>
    /// Parsed from a copy of the body's bytes on first access (the body was fully validated when the callback was
    /// verified, so this cannot fail); safe to read from several threads, which all get the same element.
    /// </remarks>
    public JsonElement Data => (Volatile.Read(ref _data) ?? ParseData()).Value;

    /// <summary>Whether <see cref="NotifyType"/> is <c>payment_success</c>.</summary>
    public bool IsPaymentSuccess => NotifyType == WebhookNotifyTypes.PaymentSuccess;

    /// <inheritdoc />
    public override string ToString() =>
        Refund is { } refund
            ? $"WebhookNotification {NotifyType}: refund {refund.RefundId} (merchant refund {refund.MerchantRefundId})"
            : $"WebhookNotification {NotifyType}: order {OrderId} (merchant order {MerchantOrderId})";

    private StrongBox<JsonElement> ParseData()
    {
        byte[]? json = Volatile.Read(ref _json);
        if (json is null)
        {
            // Another thread published the element, then dropped the bytes.
            return Volatile.Read(ref _data)!;
        }

        var parsed = new StrongBox<JsonElement>(WebhookPayloadParser.ParseData(json, _jsonIsBody));
        StrongBox<JsonElement> published = Interlocked.CompareExchange(ref _data, parsed, null) ?? parsed;

        // The element has its own copy: the bytes are no longer needed. Cleared after publishing, so a thread that
        // finds them gone finds the element.
        Volatile.Write(ref _json, null);
        return published;
    }
}
