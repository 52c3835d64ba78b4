using System.Globalization;

namespace AlipayHk.Pay;

/// <summary>
/// Parses the gateway's timestamps, such as <c>2023-08-31T04:44:05.928696203+08:00</c>: nine fractional digits,
/// two more than <see cref="DateTimeOffset"/> holds, so the extra digits are dropped (sub-100 ns precision).
/// </summary>
internal static class GatewayTime
{
    private const int MaxFractionDigits = 7;

    internal static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        ReadOnlySpan<char> span = text.AsSpan().Trim();
        if (span.Length > 64)
        {
            return false; // No timestamp is that long; keeps the stack buffer below small.
        }

        int dot = span.IndexOf('.');
        if (dot >= 0)
        {
            int end = dot + 1;
            while (end < span.Length && char.IsAsciiDigit(span[end]))
            {
                end++;
            }

            int digits = end - dot - 1;
            if (digits > MaxFractionDigits)
            {
                Span<char> buffer = stackalloc char[span.Length];
                span[..(dot + 1 + MaxFractionDigits)].CopyTo(buffer);
                span[end..].CopyTo(buffer[(dot + 1 + MaxFractionDigits)..]);
                int length = span.Length - (digits - MaxFractionDigits);
                return DateTimeOffset.TryParse(buffer[..length], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
            }
        }

        return DateTimeOffset.TryParse(span, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }
}
