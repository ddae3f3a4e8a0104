using System.Text.Json;
using System.Text.Json.Serialization;

namespace Accounting.Accountant.Domain;

/// <summary>
/// A JSON value serialised once and written verbatim wherever it appears: a repeated step's cost curve in each of its
/// ledger entries costs a copy of its bytes instead of a walk of a parsed document.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
public sealed class RawJson
{
    private RawJson(byte[] utf8) => Utf8 = utf8;

    /// <summary>The value's UTF-8 JSON text.</summary>
    public ReadOnlyMemory<byte> Utf8 { get; }

    /// <summary>The value as <paramref name="options"/> serialise it.</summary>
    public static RawJson Of<T>(T value, JsonSerializerOptions options) => new(JsonSerializer.SerializeToUtf8Bytes(value, options));

    private sealed class RawJsonConverter : JsonConverter<RawJson>
    {
        public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return Of(document.RootElement, options);
        }

        public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Utf8.Span, skipInputValidation: true); // written by the serialiser itself
    }
}
