using System.Security.Cryptography;
using AlipayHk.Pay.Testing.Hosting.Internal;
using AlipayHk.Pay.Testing.Merchants.Internal;

namespace AlipayHk.Pay.Testing.Auth.Internal;

/// <summary>The access tokens issued, each with its merchant and its expiry.</summary>
internal sealed class TokenStore(TimeProvider timeProvider, TimeSpan lifetime, ChangeFeed changes)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (MerchantAccount Merchant, DateTimeOffset Expiry)> _tokens = new(StringComparer.Ordinal);

    public TimeSpan Lifetime => lifetime;

    public string Issue(MerchantAccount merchant)
    {
        string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        lock (_gate)
        {
            _tokens[token] = (merchant, timeProvider.GetUtcNow() + lifetime);
        }

        return token;
    }

    /// <summary>The merchant a token was issued to, or <see langword="null"/> when it is unknown or expired.</summary>
    public MerchantAccount? Validate(string token)
    {
        lock (_gate)
        {
            return _tokens.TryGetValue(token, out var issued) && timeProvider.GetUtcNow() < issued.Expiry ? issued.Merchant : null;
        }
    }

    /// <summary>Every token issued so far stops being accepted; new ones can be issued.</summary>
    public void ExpireAll()
    {
        lock (_gate)
        {
            _tokens.Clear();
        }

        changes.Notify();
    }
}
