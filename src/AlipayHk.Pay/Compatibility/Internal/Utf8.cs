#if NETFRAMEWORK
namespace AlipayHk.Pay.Compatibility;

/// <summary>.NET 8's <c>System.Text.Unicode.Utf8.IsValid</c>, for .NET Framework: well-formed UTF-8 as RFC 3629 defines it.</summary>
internal static class Utf8
{
    /// <summary>
    /// Whether <paramref name="value"/> is well-formed UTF-8: no stray continuation byte, no truncated sequence, no
    /// overlong form, no UTF-16 surrogate (U+D800 to U+DFFF) and nothing above U+10FFFF.
    /// </summary>
    public static bool IsValid(ReadOnlySpan<byte> value)
    {
        int i = 0;
        while (i < value.Length)
        {
            byte first = value[i];
            if (first < 0x80)
            {
                i++;
                continue;
            }

            // The sequence's length, and the range its second byte must be in (Unicode 15, table 3-7).
            int length;
            byte low = 0x80, high = 0xBF;
            if (first is >= 0xC2 and <= 0xDF)
            {
                length = 2;
            }
            else if (first is >= 0xE0 and <= 0xEF)
            {
                length = 3;
                if (first == 0xE0)
                {
                    low = 0xA0; // not overlong
                }
                else if (first == 0xED)
                {
                    high = 0x9F; // not a surrogate
                }
            }
            else if (first is >= 0xF0 and <= 0xF4)
            {
                length = 4;
                if (first == 0xF0)
                {
                    low = 0x90; // not overlong
                }
                else if (first == 0xF4)
                {
                    high = 0x8F; // not above U+10FFFF
                }
            }
            else
            {
                return false; // a continuation byte, C0, C1 or F5 to FF
            }

            if (i + length > value.Length || value[i + 1] < low || value[i + 1] > high)
            {
                return false;
            }

            for (int k = 2; k < length; k++)
            {
                if (value[i + k] is < 0x80 or > 0xBF)
                {
                    return false;
                }
            }

            i += length;
        }

        return true;
    }
}
#endif
