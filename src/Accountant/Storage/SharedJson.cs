using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Accounting.Accountant.Storage;

/// <summary>
/// A JSON value that recurs in many ledger entries (a repeated step's cost curve: 156 numbers, most of a charge's
/// entry). It is serialised once and written verbatim into each payload that holds it; the store keeps it once, under
/// its SHA-256, and each entry keeps <c>null</c> in its place with the UTF-8 byte offset of that place. Reading splices
/// it back, so the payload read is the payload hashed, byte for byte.
/// </summary>
[JsonConverter(typeof(SharedJsonConverter))]
public sealed class SharedJson
{
    private const string Placeholder = "null"; // keeps the stored payload valid JSON for the dialects' JSON functions

    private static ReadOnlySpan<byte> PlaceholderUtf8 => "null"u8;

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

    /// <summary>
    /// The payload (UTF-8) with this value's first occurrence replaced by the placeholder, still UTF-8 (a large
    /// payload as a string would be twice its size, on the large-object heap), and the byte offset where it was; null
    /// when absent.
    /// </summary>
    public (byte[] Stored, int Utf8Offset)? CutFrom(ReadOnlySpan<byte> payload)
    {
        var at = payload.IndexOf(Utf8);
        if (at < 0)
        {
            return null;
        }
        var rest = payload[(at + Utf8.Length)..];
        var stored = new byte[at + PlaceholderUtf8.Length + rest.Length];
        payload[..at].CopyTo(stored);
        PlaceholderUtf8.CopyTo(stored.AsSpan(at));
        rest.CopyTo(stored.AsSpan(at + PlaceholderUtf8.Length));
        return (stored, at);
    }

    /// <summary>The payload <see cref="CutFrom"/> stored, with <paramref name="text"/> back in the placeholder's place.</summary>
    public static string Splice(string stored, int utf8Offset, string text)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var at = 0;
        for (var bytes = 0; bytes < utf8Offset;)
        {
            var rune = Rune.GetRuneAt(stored, at);
            bytes += rune.Utf8SequenceLength;
            at += rune.Utf16SequenceLength;
        }
        return string.CompareOrdinal(stored, at, Placeholder, 0, Placeholder.Length) == 0
            ? string.Concat(stored.AsSpan(0, at), text, stored.AsSpan(at + Placeholder.Length))
            : throw new InvalidDataException($"a stored ledger payload has no placeholder at byte {utf8Offset}");
    }

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
