namespace AlipayHk.Pay;

/// <summary>An access token and its expiry. Its <see cref="ToString"/> never shows the token.</summary>
public sealed class AlipayHkPayAccessToken
{
    /// <summary>Creates a token.</summary>
    /// <param name="value">The bearer token.</param>
    /// <param name="expiresAt">When the gateway stops accepting it.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty.</exception>
    public AlipayHkPayAccessToken(string value, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        Value = value;
        ExpiresAt = expiresAt;
    }

    /// <summary>The bearer token. A secret: never log it.</summary>
    public string Value { get; }

    /// <summary>When the gateway stops accepting the token.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Describes the token without showing it.</summary>
    /// <returns>The expiry only.</returns>
    public override string ToString() => $"AlipayHkPayAccessToken (redacted), expires {ExpiresAt:O}";
}
