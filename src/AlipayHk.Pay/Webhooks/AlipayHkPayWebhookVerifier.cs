using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace AlipayHk.Pay;

/// <summary>
/// The SDK's <see cref="IAlipayHkPayWebhookVerifier"/>. <c>AddAlipayHkPay</c> registers one built from the options;
/// build one yourself from the key to verify callbacks without dependency injection.
/// </summary>
/// <example>
/// <code>
/// var verifier = new AlipayHkPayWebhookVerifier(webhookKey);
/// WebhookNotification notification = verifier.Verify(rawBodyBytes, request.Headers["Signature"]);
/// </code>
/// </example>
public sealed class AlipayHkPayWebhookVerifier : IAlipayHkPayWebhookVerifier
{
    private const int HashBytes = 32;
    private const int HashHexChars = HashBytes * 2;
    private const string DirectKeySource = "the key passed to the AlipayHkPayWebhookVerifier constructor";

    /// <summary>
    /// The white space ignored around a signature: ASCII only (space, tab, CR, LF), as HTTP trims a header value.
    /// Not <see cref="string.Trim()"/>: a no-break or ideographic space is no part of a hex signature, and a header that
    /// carries one was not written by the gateway.
    /// </summary>
    private const string AsciiWhiteSpace = " \t\r\n";

    /// <summary>The bytes of <c>"." + key</c>, appended to the body before hashing. Never exposed.</summary>
    private readonly byte[] _suffix;
    private readonly string _keySource;

    /// <summary>Creates a verifier for callbacks signed with <paramref name="key"/>, with the default header name and size limit.</summary>
    /// <param name="key">The webhook key: the separate notify key when the gateway gave you one, otherwise your client secret.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null, empty or blank.</exception>
    public AlipayHkPayWebhookVerifier(string key)
        : this(key, DirectKeySource, AlipayHkPayOptions.DefaultWebhookSignatureHeader, new AlipayHkPayOptions().MaxWebhookBodyBytes)
    {
    }

    /// <summary>
    /// Creates a verifier from the options: the key is <see cref="AlipayHkPayOptions.WebhookKey"/>, or
    /// <see cref="AlipayHkPayOptions.ClientSecret"/> when that is not set; the header name and size limit come from
    /// the options too.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException">Neither <c>WebhookKey</c> nor <c>ClientSecret</c> is set.</exception>
    public AlipayHkPayWebhookVerifier(AlipayHkPayOptions options)
        : this(
            KeyFrom(options),
            $"the key from {AlipayHkPayOptions.SectionName}:{options.WebhookKeySource}{(options.WebhookKeySource == nameof(AlipayHkPayOptions.ClientSecret) ? $" (the fallback: {AlipayHkPayOptions.SectionName}:{nameof(AlipayHkPayOptions.WebhookKey)} is not set)" : string.Empty)}",
            options.WebhookSignatureHeader,
            options.MaxWebhookBodyBytes)
    {
    }

    internal AlipayHkPayWebhookVerifier(string key, string keySource, string headerName, int maxBodyBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBodyBytes);
        _suffix = Encoding.UTF8.GetBytes("." + key);
        _keySource = keySource;
        HeaderName = string.IsNullOrWhiteSpace(headerName) ? AlipayHkPayOptions.DefaultWebhookSignatureHeader : headerName;
        MaxBodyBytes = maxBodyBytes;
    }

    /// <summary>The largest body accepted, in bytes.</summary>
    internal int MaxBodyBytes { get; }

    /// <summary>The header that carries the signature.</summary>
    internal string HeaderName { get; }

    /// <inheritdoc />
    public WebhookNotification Verify(ReadOnlySpan<byte> body, string? signature)
    {
        if (body.Length > MaxBodyBytes)
        {
            throw new AlipayHkPayWebhookException(
                WebhookFailureReason.TooLarge,
                $"The webhook body is {body.Length} bytes, more than the {MaxBodyBytes} allowed by {AlipayHkPayOptions.SectionName}:{nameof(AlipayHkPayOptions.MaxWebhookBodyBytes)}. Gateway callbacks are a few hundred bytes; a larger body is not from the gateway.");
        }

        if (signature is null || TrimAscii(signature).IsEmpty)
        {
            throw new AlipayHkPayWebhookException(
                WebhookFailureReason.MissingSignature,
                $"The webhook has no signature: the '{HeaderName}' header is {(signature is null ? "missing" : "empty")}. If the gateway sends it under another name, set {AlipayHkPayOptions.SectionName}:{nameof(AlipayHkPayOptions.WebhookSignatureHeader)}; check that no proxy strips it.");
        }

        if (!SignatureMatches(body, signature))
        {
            ReadOnlySpan<char> given = TrimAscii(signature);
            string shown = given.Length > 8 ? string.Concat(given[..8], "...") : given.ToString();
            throw new AlipayHkPayWebhookException(
                WebhookFailureReason.SignatureMismatch,
                $"The webhook signature in the '{HeaderName}' header ('{shown}', {given.Length} characters) does not match the body ({body.Length} bytes) signed with {_keySource}. "
                + $"Likely causes: the wrong key (if the gateway gave you a separate notify key, set {AlipayHkPayOptions.SectionName}:{nameof(AlipayHkPayOptions.WebhookKey)}); "
                + "the body was altered on its way (a proxy or middleware that decompresses, re-encodes or trims it); "
                + "or the body was re-serialized from parsed JSON instead of verified as the raw bytes received. A forged call fails this way too.");
        }

        return WebhookPayloadParser.Parse(body);
    }

    /// <inheritdoc />
    public WebhookNotification Verify(string body, string? signature)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (Encoding.UTF8.GetMaxByteCount(body.Length) <= 4096)
        {
            Span<byte> small = stackalloc byte[4096];
            int written = Encoding.UTF8.GetBytes(body, small);
            return Verify(small[..written], signature);
        }

        return Verify(Encoding.UTF8.GetBytes(body), signature);
    }

    /// <summary>
    /// Whether <paramref name="signature"/> is <c>HEX(SHA256(body + "." + key))</c>: case-insensitive, surrounding
    /// ASCII white space ignored (space, tab, CR, LF; no other), compared in constant time. Allocates nothing.
    /// </summary>
    internal bool SignatureMatches(ReadOnlySpan<byte> body, ReadOnlySpan<char> signature)
    {
        Span<byte> given = stackalloc byte[HashBytes];
        if (!TryDecodeHex(TrimAscii(signature), given))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HashBytes];
        HashSigned(body, expected);
        bool equal = HashesEqual(given, expected);
        CryptographicOperations.ZeroMemory(expected);
        return equal;
    }

#if NET8_0_OR_GREATER
    /// <summary>
    /// One SHA-256 per thread, kept and reset after each hash: the body and the key are appended to it, never copied.
    /// The one-shot <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/> creates and frees a native context
    /// per call, which on a callback's few hundred bytes costs more than the hashing (docs/benchmarks.md).
    /// </summary>
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    private void HashSigned(ReadOnlySpan<byte> body, Span<byte> destination)
    {
        IncrementalHash sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            sha256.AppendData(body);
            sha256.AppendData(_suffix);
            sha256.GetHashAndReset(destination);
        }
        catch
        {
            t_sha256 = null; // Never reuse a hash left half-fed.
            sha256.Dispose();
            throw;
        }
    }
#else
    /// <summary>The body and the key hashed as one: copied into a pooled buffer, the key's bytes cleared after.</summary>
    private void HashSigned(ReadOnlySpan<byte> body, Span<byte> destination)
    {
        int length = body.Length + _suffix.Length;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            body.CopyTo(buffer);
            _suffix.CopyTo(buffer.AsSpan(body.Length));
            SHA256.HashData(buffer.AsSpan(0, length), destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer.AsSpan(body.Length, _suffix.Length)); // The key must not linger in a shared pool.
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
#endif

    /// <summary>
    /// Whether two 32-byte hashes are equal, in a time that does not depend on their contents. On .NET 8 and later:
    /// four 8-byte words XORed and ORed, no branch on the data. <see cref="CryptographicOperations.FixedTimeEquals"/>
    /// is compiled without optimization (its loop indexes a span through calls), and measured about a fifth of the
    /// SHA-256 of a typical callback (docs/benchmarks.md); .NET Framework keeps it.
    /// </summary>
    internal static bool HashesEqual(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
#if NET8_0_OR_GREATER
        if (left.Length != HashBytes || right.Length != HashBytes)
        {
            return false;
        }

        ReadOnlySpan<ulong> a = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(left);
        ReadOnlySpan<ulong> b = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(right);
        return ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3])) == 0;
#else
        return CryptographicOperations.FixedTimeEquals(left, right);
#endif
    }

    private static ReadOnlySpan<char> TrimAscii(ReadOnlySpan<char> value) => value.Trim(AsciiWhiteSpace);

    /// <summary>Decodes 64 hex characters, either case, into 32 bytes; <see langword="false"/> for any other input.</summary>
    private static bool TryDecodeHex(ReadOnlySpan<char> hex, Span<byte> destination)
    {
        if (hex.Length != HashHexChars)
        {
            return false;
        }

#if NET9_0_OR_GREATER
        // The runtime's vectorized decoder. Timing may depend on the given text, which is the caller's, never the key.
        return Convert.FromHexString(hex, destination, out int consumed, out int written) == System.Buffers.OperationStatus.Done
            && consumed == HashHexChars && written == HashBytes;
#else

        int invalid = 0;
        for (int i = 0; i < HashBytes; i++)
        {
            int high = HexValue(hex[2 * i]);
            int low = HexValue(hex[(2 * i) + 1]);
            invalid |= high | low;
            destination[i] = (byte)((high << 4) | low);
        }

        return invalid >= 0;
#endif
    }

    /// <summary>The value of one hex digit, or a negative number when it is not one.</summary>
    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static string KeyFrom(AlipayHkPayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? key = options.EffectiveWebhookKey;
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new ArgumentException(
                $"No webhook key: set {AlipayHkPayOptions.SectionName}:{nameof(AlipayHkPayOptions.WebhookKey)} (or {AlipayHkPayOptions.SectionName}:{nameof(AlipayHkPayOptions.ClientSecret)}, its fallback) to verify webhooks.",
                nameof(options));
        }

        return key;
    }
}
