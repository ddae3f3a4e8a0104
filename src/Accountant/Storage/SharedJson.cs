using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Accounting.Accountant.Storage;

/// <summary>
/// A JSON value that recurs in many ledger entries (a repeated step's cost curve: 156 numbers, most of a charge's
/// entry). It is serialised once and written verbatim into each payload that holds it; the store keeps it once, under
/// its SHA-256, and each entry keeps a placeholder in its place (<see cref="PayloadCut"/>).
/// </summary>
[JsonConverter(typeof(SharedJsonConverter))]
public sealed class SharedJson
{
    private SharedJson(string text)
    {
        Text = text;
        Utf8 = Encoding.UTF8.GetBytes(text);
        Id = SHA256.HashData(Utf8);
    }

    /// <summary>The value's JSON text.</summary>
    public string Text { get; }

    /// <summary>Its SHA-256, under which the store keeps it.</summary>
    public byte[] Id { get; }

    private byte[] Utf8 { get; }

    /// <summary>The value as <paramref name="options"/> serialise it.</summary>
    public static SharedJson Of<T>(T value, JsonSerializerOptions options) => new(JsonSerializer.Serialize(value, options));

    /// <summary>The payload (UTF-8) cut where this value first occurs (<see cref="PayloadCut.Cut"/>); null when absent.</summary>
    public (byte[] Stored, int Utf8Offset)? CutFrom(ReadOnlySpan<byte> payload) => PayloadCut.Cut(payload, Utf8);

    private sealed class SharedJsonConverter : JsonConverter<SharedJson>
    {
        public override SharedJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return Of(document.RootElement, options);
        }

        public override void Write(Utf8JsonWriter writer, SharedJson value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Utf8, skipInputValidation: true); // written by the serialiser itself
    }
}
