using System.Globalization;

namespace AlipayHk.Pay;

/// <summary>The gateway's amount text: a decimal in invariant culture, no exponent, no group separators.</summary>
internal static class AmountFormat
{
    /// <summary>Formats an amount as the gateway expects (<c>1</c>, <c>12.5</c>, <c>105.00</c> stays <c>105.00</c>).</summary>
    internal static string Format(decimal amount) => decimal.Round(amount, 2).ToString(CultureInfo.InvariantCulture);

    /// <summary>What the gateway's amount text may hold: a sign and a decimal point, nothing else.</summary>
    internal const NumberStyles Styles = NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign;

    /// <summary>Parses the gateway's amount text; <see langword="false"/> when it is not a plain decimal.</summary>
    internal static bool TryParse(string? text, out decimal amount) =>
        decimal.TryParse(text, Styles, CultureInfo.InvariantCulture, out amount);
}
