namespace AlipayHk.Pay.Testing;

/// <summary>One request the simulator received, and what it answered. Never holds the client secret or an access token.</summary>
public sealed class JournalEntry
{
    /// <summary>When the request arrived, by the simulator's clock.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The HTTP method, for example <c>POST</c>.</summary>
    public required string Method { get; init; }

    /// <summary>The path, for example <c>/mch-api/v1/pa/payment_intents/create</c>.</summary>
    public required string Path { get; init; }

    /// <summary>The query string with its leading <c>?</c>, or empty; the <c>client_secret</c> value reads <c>REDACTED</c>.</summary>
    public required string Query { get; init; }

    /// <summary>Which gateway endpoint the path is, or <see cref="SimulatedEndpoint.Any"/> for any other path.</summary>
    public required SimulatedEndpoint Endpoint { get; init; }

    /// <summary>
    /// The request headers that matter to the gateway: <c>Authorization</c>, <c>Content-Type</c> and <c>User-Agent</c>, when
    /// sent. The token in <c>Authorization</c> reads <c>REDACTED</c>, as in <c>Bearer REDACTED</c>.
    /// </summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>The request body as text (empty for a GET).</summary>
    public required string Body { get; init; }

    /// <summary>The HTTP status answered, or <see langword="null"/> while the request is still being served, or when the connection was aborted or the client gave up first.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The response body as text, or empty.</summary>
    public required string ResponseBody { get; init; }

    /// <summary>The fault injected into this request, or <see langword="null"/> when it was served normally.</summary>
    public SimulatedFault? Fault { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Method} {Path}{Query} -> {(StatusCode is { } status ? status.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no response")}{(Fault is { } fault ? $" ({fault})" : string.Empty)}";
}
