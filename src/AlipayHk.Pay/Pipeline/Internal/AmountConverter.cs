using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AlipayHk.Pay.Pipeline;

/// <summary>
/// Reads an amount sent as a string or a number (<see cref="NumberOrStringConverter"/>'s rules) with
/// <see cref="AmountFormat.TryParse"/>'s rules: <see langword="null"/> when absent, empty, or not a plain decimal.
/// On .NET 8 and later a value without escapes is parsed from its UTF-8 bytes, without a string.
/// </summary>
internal sealed class AmountConverter : JsonConverter<decimal?>
{
    public override bool HandleNull => true;

    public override decimal? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
#if NET8_0_OR_GREATER
        if (reader.TokenType is JsonTokenType.String or JsonTokenType.Number && !reader.HasValueSequence && !reader.ValueIsEscaped)
        {
            return decimal.TryParse(reader.ValueSpan, AmountFormat.Styles, CultureInfo.InvariantCulture, out decimal amount) ? amount : null;
        }
#endif
        return AmountFormat.TryParse(NumberOrStringConverter.ReadText(ref reader), out decimal parsed) ? parsed : null;
    }

    public override void Write(Utf8JsonWriter writer, decimal? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } amount)
        {
            writer.WriteStringValue(amount.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
