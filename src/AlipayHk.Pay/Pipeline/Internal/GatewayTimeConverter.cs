using System.Text.Json;
using System.Text.Json.Serialization;

namespace AlipayHk.Pay.Pipeline;

/// <summary>
/// Reads a gateway timestamp sent as a string (or a number: <see cref="NumberOrStringConverter"/>'s rules) with
/// <see cref="GatewayTime.TryParse"/>'s rules: <see langword="null"/> when absent, empty, or not a time.
/// </summary>
/// <remarks>
/// On .NET 8 and later, an ISO 8601 time with an explicit offset (<c>Z</c> or <c>±hh:mm</c> after a digit) and no escapes, the
/// gateway's shape, is read by <see cref="Utf8JsonReader.TryGetDateTimeOffset"/> from its UTF-8 bytes; it drops
/// fraction digits past the seventh as <see cref="GatewayTime"/> does. Anything it does not read (no offset, which it
/// would take as local time where <see cref="GatewayTime"/> assumes UTC; white space; another shape) goes to
/// <see cref="GatewayTime"/>. The tests compare both on the edge cases.
/// </remarks>
internal sealed class GatewayTimeConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
#if NET8_0_OR_GREATER
        if (reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && !reader.ValueIsEscaped
            && EndsWithOffset(reader.ValueSpan) && reader.TryGetDateTimeOffset(out DateTimeOffset value))
        {
            return value;
        }
#endif
        return GatewayTime.TryParse(NumberOrStringConverter.ReadText(ref reader), out DateTimeOffset parsed) ? parsed : null;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } time)
        {
            writer.WriteStringValue(time);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>
    /// Whether the text ends with a digit then <c>Z</c> or <c>±hh:mm</c>. The digit: the reader takes a point with no
    /// fraction digits (<c>05.Z</c>), <see cref="GatewayTime"/> does not.
    /// </summary>
    private static bool EndsWithOffset(ReadOnlySpan<byte> text) =>
        text.Length > 7
        && (text[^1] == (byte)'Z' ? IsDigit(text[^2]) : text[^6] is (byte)'+' or (byte)'-' && text[^3] == (byte)':' && IsDigit(text[^7]));

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}
