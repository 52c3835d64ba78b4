using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AlipayHk.Pay.Pipeline;

/// <summary>
/// Reads a JSON string or number as text: the gateway documents ids and amounts as strings, but a number must not break
/// an answer or a callback. An empty string, a null, or a value of another kind (skipped) reads as <see langword="null"/>.
/// </summary>
internal sealed class NumberOrStringConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadText(ref reader);

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }

    /// <summary>The current value as text, with the rules above (shared by the typed number-or-string converters).</summary>
    internal static string? ReadText(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString() is { Length: > 0 } text ? text : null;
            case JsonTokenType.Number:
                return reader.HasValueSequence ? Encoding.UTF8.GetString(reader.ValueSequence.ToArray()) : Encoding.UTF8.GetString(reader.ValueSpan);
            default:
                reader.Skip();
                return null;
        }
    }
}
