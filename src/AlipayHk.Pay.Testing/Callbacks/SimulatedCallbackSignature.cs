using System.Security.Cryptography;
using System.Text;

namespace AlipayHk.Pay.Testing;

/// <summary>
/// Signs a callback body the way the gateway does: lower-case hex of SHA-256 over the raw body bytes, then
/// <c>.</c>, then the key. Plain SHA-256, not HMAC. Written apart from the SDK's verifier, so each checks the other.
/// </summary>
public static class SimulatedCallbackSignature
{
    /// <summary>Computes the signature of <paramref name="body"/> with <paramref name="key"/>.</summary>
    /// <param name="body">The exact bytes of the HTTP body.</param>
    /// <param name="key">The webhook key (by default the client secret).</param>
    /// <returns>64 lower-case hex characters.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public static string Compute(ReadOnlySpan<byte> body, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int keyBytes = Encoding.UTF8.GetByteCount(key);
        byte[] buffer = new byte[body.Length + 1 + keyBytes];
        body.CopyTo(buffer);
        buffer[body.Length] = (byte)'.';
        Encoding.UTF8.GetBytes(key, buffer.AsSpan(body.Length + 1));
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer, hash);
        return ToLowerHex(hash);
    }

    /// <summary>Computes the signature of a body given as text, encoded as UTF-8.</summary>
    /// <param name="body">The HTTP body.</param>
    /// <param name="key">The webhook key (by default the client secret).</param>
    /// <returns>64 lower-case hex characters.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> or <paramref name="key"/> is null.</exception>
    public static string Compute(string body, string key)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Compute(Encoding.UTF8.GetBytes(body), key);
    }

    private static string ToLowerHex(ReadOnlySpan<byte> bytes)
    {
        const string Digits = "0123456789abcdef";
        Span<char> chars = stackalloc char[bytes.Length * 2];
        for (int i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = Digits[bytes[i] >> 4];
            chars[(2 * i) + 1] = Digits[bytes[i] & 0xF];
        }

        return new string(chars);
    }
}
