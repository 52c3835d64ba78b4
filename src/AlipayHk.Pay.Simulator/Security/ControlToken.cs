using System.Security.Cryptography;
using System.Text;

namespace AlipayHk.Pay.Simulator.Security;

/// <summary>
/// The control token (<c>--control-token</c>, <c>Simulator__ControlToken</c>): what a script sends as a bearer token, and
/// what the dashboard's sign-in turns into a cookie. Only hashes are kept; every comparison takes constant time; the
/// token is never printed, logged or answered.
/// </summary>
internal sealed class ControlToken
{
    /// <summary>The shortest token accepted: a guessable one would protect nothing.</summary>
    public const int MinimumLength = 16;

    /// <summary>The cookie that the dashboard's sign-in sets: HttpOnly, SameSite=Strict.</summary>
    public const string CookieName = "alipayhk-simulator-control";

    private readonly byte[] _hash;
    private readonly string _cookie;

    public ControlToken(string token, string source)
    {
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        _cookie = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), "alipayhk-simulator dashboard"u8));
        Source = source;
    }

    /// <summary>Where it came from: <c>--control-token</c> or <c>Simulator__ControlToken</c>, for the banner.</summary>
    public string Source { get; }

    /// <summary>The value of the dashboard's cookie: derived from the token, so the token itself is not stored in the browser.</summary>
    public string CookieValue => _cookie;

    /// <summary>Whether <paramref name="candidate"/> is the token, in constant time.</summary>
    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(Encoding.UTF8.GetBytes(candidate)));

    /// <summary>Whether <paramref name="cookie"/> is the dashboard's cookie, in constant time.</summary>
    public bool MatchesCookie(string? cookie) =>
        cookie is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(_cookie), Encoding.ASCII.GetBytes(cookie));

    /// <inheritdoc />
    public override string ToString() => $"control token from {Source}"; // Never the value.
}
