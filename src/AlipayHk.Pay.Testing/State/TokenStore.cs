using System.Security.Cryptography;

namespace AlipayHk.Pay.Testing.State;

/// <summary>The access tokens issued, each with its expiry.</summary>
internal sealed class TokenStore(TimeProvider timeProvider, TimeSpan lifetime)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);

    public TimeSpan Lifetime => lifetime;

    public string Issue()
    {
        string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        lock (_gate)
        {
            _expiries[token] = timeProvider.GetUtcNow() + lifetime;
        }

        return token;
    }

    public bool IsValid(string token)
    {
        lock (_gate)
        {
            return _expiries.TryGetValue(token, out DateTimeOffset expiry) && timeProvider.GetUtcNow() < expiry;
        }
    }

    /// <summary>Every token issued so far stops being accepted; new ones can be issued.</summary>
    public void ExpireAll()
    {
        lock (_gate)
        {
            _expiries.Clear();
        }
    }
}
