using System.Globalization;

namespace AlipayHk.Pay.Tests.Payments;

/// <summary>The gateway's timestamps, nanoseconds and all, and the other shapes a time may come in.</summary>
public sealed class GatewayTimeTests
{
    [Theory]
    [InlineData("2023-08-31T04:44:05.928696203+08:00", "2023-08-31T04:44:05.9286962+08:00")]
    [InlineData("2023-08-23T18:25:43.511Z", "2023-08-23T18:25:43.5110000+00:00")]
    [InlineData("2023-08-23T18:25:43Z", "2023-08-23T18:25:43.0000000+00:00")]
    [InlineData("2023-08-23T18:25:43-05:30", "2023-08-23T18:25:43.0000000-05:30")]
    [InlineData("2024-02-29T23:59:59.9999999+14:00", "2024-02-29T23:59:59.9999999+14:00")]
    [InlineData("2023-08-31t04:44:05.1z", "2023-08-31T04:44:05.1000000+00:00")]
    [InlineData("  2023-08-31T04:44:05.928696203+08:00 ", "2023-08-31T04:44:05.9286962+08:00")]
    public void Reads_the_gateway_shapes(string text, string expected)
    {
        Assert.True(GatewayTime.TryParse(text, out DateTimeOffset value));
        DateTimeOffset wanted = DateTimeOffset.ParseExact(expected, "yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture);
        Assert.Equal(wanted, value);
        Assert.Equal(wanted.Offset, value.Offset);
    }

    [Theory]
    [InlineData("2023-08-31 04:44:05", "2023-08-31T04:44:05.0000000+00:00")]
    [InlineData("2023-08-31T04:44:05", "2023-08-31T04:44:05.0000000+00:00")]
    public void Other_shapes_still_parse_as_before(string text, string expected)
    {
        Assert.True(GatewayTime.TryParse(text, out DateTimeOffset value));
        Assert.Equal(DateTimeOffset.ParseExact(expected, "yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2023-02-30T04:44:05Z")]
    [InlineData("2023-08-31T04:44:05+15:00")]
    public void Rejects_what_is_not_a_time(string text)
    {
        Assert.False(GatewayTime.TryParse(text, out _));
    }
}
