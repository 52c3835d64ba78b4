namespace AlipayHk.Pay;

/// <summary>
/// What to answer a callback (<see cref="IAlipayHkPayWebhookReceiver.ReceiveAsync"/>): only HTTP 200 stops the gateway's
/// re-deliveries. <see cref="Text"/> is short plain text, never a secret or exception details.
/// </summary>
public sealed class WebhookReceipt
{
    internal WebhookReceipt(int statusCode, string text, string outcome, string? reason = null)
    {
        StatusCode = statusCode;
        Text = text;
        Outcome = outcome;
        Reason = reason;
    }

    /// <summary>
    /// The HTTP status: 200 handled (or a duplicate of one handled); 400 malformed; 401 no or a wrong signature; 408 the
    /// body never arrived whole (the caller hung up or was too slow); 409 being handled by another delivery; 413 too
    /// large; 500 the handler threw, or the receiver is not configured; 502 the gateway could not confirm it; 503 not
    /// confirmed yet, or the duplicate store is down.
    /// </summary>
    public int StatusCode { get; }

    /// <summary>The plain-text body to answer with.</summary>
    public string Text { get; }

    /// <summary>The <c>Retry-After</c> to answer with, when there is one (a success the gateway does not confirm yet).</summary>
    public TimeSpan? RetryAfter { get; internal init; }

    /// <summary>Whether to close the connection after answering: the body was too large and was not read to its end.</summary>
    public bool CloseConnection { get; internal init; }

    /// <summary>How the delivery ended: <c>accepted</c>, <c>duplicate</c>, <c>rejected</c>, <c>unconfirmed</c> or <c>failed</c>.</summary>
    internal string Outcome { get; }

    /// <summary>For a rejection, why (<c>signature_mismatch</c>, ...).</summary>
    internal string? Reason { get; }

    /// <inheritdoc />
    public override string ToString() => $"WebhookReceipt {StatusCode} ({Outcome}{(Reason is null ? string.Empty : ": " + Reason)})";
}
