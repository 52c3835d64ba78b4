namespace AlipayHk.Pay.Testing;

/// <summary>One notification the simulator sent to a <c>notify_url</c>, and how the receiver answered.</summary>
public sealed class CallbackDelivery
{
    /// <summary>The order the notification is about.</summary>
    public required string OrderId { get; init; }

    /// <summary>The merchant's order id of that order.</summary>
    public required string MerchantOrderId { get; init; }

    /// <summary>Which notification this was for the order: 1 for the first, up to 10 (with the default schedule).</summary>
    public required int Attempt { get; init; }

    /// <summary>Where it was sent.</summary>
    public required Uri Url { get; init; }

    /// <summary>The exact body sent: compact JSON.</summary>
    public required string Body { get; init; }

    /// <summary>The signature sent in the signature header: lower-case hex of SHA-256 over the body, <c>.</c> and the key.</summary>
    public required string Signature { get; init; }

    /// <summary>When the notification was sent, by the simulator's clock.</summary>
    public required DateTimeOffset SentAt { get; init; }

    /// <summary>The receiver's HTTP status, or <see langword="null"/> when there was no answer in time (see <see cref="Error"/>).</summary>
    public int? StatusCode { get; init; }

    /// <summary>Why there was no usable answer (connection refused, timed out), or <see langword="null"/>.</summary>
    public string? Error { get; init; }

    /// <summary>
    /// The <c>Location</c> of a redirect answer (HTTP 3xx), made absolute, or <see langword="null"/>. The gateway does not
    /// follow redirects: a redirected notification is not received (see <see cref="Diagnosis"/>).
    /// </summary>
    public Uri? Location { get; init; }

    /// <summary>
    /// Why the receiver did not take this notification, in words a test author can act on (a redirect and where to, a
    /// connection refused, a status the SDK's endpoint answers and what it means), or <see langword="null"/> when it was accepted.
    /// </summary>
    public string? Diagnosis => Accepted ? null : StatusCode is { } status ? Callbacks.Internal.CallbackDiagnosis.Refused(status, Url, Location) : Error;

    /// <summary>Whether the receiver took it: HTTP 200 within the callback timeout. Only that stops the retries.</summary>
    public bool Accepted => StatusCode == 200;

    /// <summary>When the next notification is due, or <see langword="null"/> when this one was accepted or was the last.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>
    /// Throws unless the receiver took this notification, with a message that says what went wrong and how to fix the
    /// usual causes: callbacks not delivered into the app's test server, a notify URL whose path has no webhook
    /// endpoint, the app configured with another gateway's settings, a handler that threw, a redirect (which the gateway
    /// does not follow), nothing listening at the notify URL. The message is <see cref="Diagnosis"/>.
    /// </summary>
    /// <returns>This delivery, when it was accepted.</returns>
    /// <exception cref="InvalidOperationException">The notification was not accepted.</exception>
    public CallbackDelivery EnsureAccepted() => Accepted
        ? this
        : throw new InvalidOperationException(
            $"Callback #{Attempt} for order {OrderId} (merchant order {MerchantOrderId}) to {Url} was not accepted: {Diagnosis}");

    /// <inheritdoc />
    public override string ToString() =>
        $"CallbackDelivery #{Attempt} for {OrderId} to {Url}: {(StatusCode is { } status ? $"HTTP {status}" : Error)}{(Location is { } to ? $" to {to}" : string.Empty)}";
}
