using System.Globalization;

namespace AlipayHk.Pay.Testing.Gateway.Internal;

/// <summary>Writes times as the gateway does: Hong Kong time, nine fractional digits, e.g. <c>2023-08-31T04:44:05.928696200+08:00</c>.</summary>
internal static class GatewayTimeFormat
{
    private static readonly TimeSpan HongKong = TimeSpan.FromHours(8);

    public static string Format(DateTimeOffset time) =>
        time.ToOffset(HongKong).ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'00'zzz", CultureInfo.InvariantCulture);
}
