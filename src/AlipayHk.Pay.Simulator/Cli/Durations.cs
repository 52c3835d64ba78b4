using System.Globalization;
using System.Text.RegularExpressions;

namespace AlipayHk.Pay.Simulator.Cli;

/// <summary>
/// The one duration syntax of the simulator tool and the POS sample (linked into both): <c>500ms</c>, <c>3s</c>,
/// <c>2m</c>, or a plain number of seconds; a decimal point is allowed (<c>1.5s</c>); at most a day.
/// </summary>
internal static partial class Durations
{
    /// <summary>How the syntax is described in help texts and messages.</summary>
    public const string Syntax = "500ms, 3s, 2m, or a number of seconds";

    /// <summary>Parses <paramref name="text"/>; <see langword="false"/> (and <paramref name="duration"/> zero) when it is not a duration of at most a day.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        Match match = text is null ? Match.Empty : Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        double milliseconds = double.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture)
            * match.Groups["unit"].Value.ToUpperInvariant() switch { "MS" => 1, "M" => 60_000, _ => 1_000 };
        if (milliseconds > TimeSpan.FromDays(1).TotalMilliseconds)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(milliseconds);
        return true;
    }

    [GeneratedRegex(@"^\s*(?<number>[0-9]+(\.[0-9]+)?)\s*(?<unit>ms|s|m)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
