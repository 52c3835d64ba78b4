using System.Globalization;

namespace PosTerminal;

/// <summary>Amounts as the shopper reads them: two decimals, '.' as the point, whatever the machine's culture.</summary>
internal static class Money
{
    public static string Format(decimal amount) => amount.ToString("#,##0.00", CultureInfo.InvariantCulture);
}
