using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Accounting.Accountant.Domain;
using Accounting.Mechanisms.Events;

namespace Accounting.Accountant.Storage;

/// <summary>
/// A charge's units and factors as its ledger entry lists them: JSON, an array of <c>{"unit", "sensitivity"}</c> in the
/// request's order, which the payload holds and the chain hashes; and a compact form that the stores keep in the
/// JSON's place (<see cref="JsonOf"/> gives the same JSON back). With 1,000 units the JSON is about 58 KB of a
/// charge's entry, which the WAL, the checkpoint and the database file each wrote again (docs/performance.md).
/// </summary>
[JsonConverter(typeof(Converter))]
public sealed class SensitivityList
{
    private const byte Version = 1;
    private const string What = "a stored sensitivity list";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Rounded factors are k / GridSize: each one's number as WriteNumber writes it, formatted once.
    private static readonly byte[][] Numbers = [.. Enumerable.Range(0, IndividualSensitivity.GridSize + 1).Select(k => Number((double)k / IndividualSensitivity.GridSize))];

    internal SensitivityList(ReadOnlyMemory<byte> json, byte[]? compact) => (Json, Compact) = (json, compact);

    /// <summary>The list of a uniform charge, which the payload holds as it is.</summary>
    public static SensitivityList Empty { get; } = new("[]"u8.ToArray(), null);

    /// <summary>The list as the payload holds it.</summary>
    public ReadOnlyMemory<byte> Json { get; }

    /// <summary>The list as the stores keep it; null for <see cref="Empty"/>.</summary>
    public byte[]? Compact { get; }

    /// <summary>The factors' JSON, written into a pooled array.</summary>
    internal static PooledBytes WriteJson(IReadOnlyCollection<KeyValuePair<string, double>> factors)
    {
        var buffer = new PooledBytes(64 * factors.Count);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = EventJson.Options.Encoder }))
        {
            json.WriteStartArray();
            foreach (var (unit, factor) in factors)
            {
                json.WriteStartObject();
                json.WriteString("unit"u8, unit);
                json.WritePropertyName("sensitivity"u8);
                json.WriteRawValue(GridIndex(factor) is var k and >= 0 ? Numbers[k] : Number(factor), skipInputValidation: true);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return buffer;
    }

    /// <summary>
    /// The factors' compact form: its version, the grid's size and the count, then each unit's id in UTF-8 as the
    /// length of the prefix it shares with the id before it and the rest (front coding: Manning, Raghavan &amp;
    /// Schütze, "Introduction to Information Retrieval", 2008, §5.2.2), and its factor as k for k / GridSize, or
    /// GridSize + 1 and the double's bits for a factor off the grid. All numbers are LEB128.
    /// </summary>
    public static byte[] CompactOf(IReadOnlyCollection<KeyValuePair<string, double>> factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        using var bytes = new PooledBytes(16 + 8 * factors.Count);
        bytes.GetSpan(1)[0] = Version;
        bytes.Advance(1);
        Leb128.Put(bytes, IndividualSensitivity.GridSize);
        Leb128.Put(bytes, factors.Count);
        var (previous, current) = (new byte[64], new byte[64]);
        var previousLength = 0;
        foreach (var (unit, factor) in factors)
        {
            var length = StrictUtf8.GetByteCount(unit);
            if (length > current.Length)
            {
                current = new byte[Math.Max(length, 2 * current.Length)];
            }
            StrictUtf8.GetBytes(unit, current);
            var shared = current.AsSpan(0, length).CommonPrefixLength(previous.AsSpan(0, previousLength));
            Leb128.Put(bytes, shared);
            Leb128.Put(bytes, length - shared);
            bytes.Write(current.AsSpan(shared, length - shared));
            if (GridIndex(factor) is var k and >= 0)
            {
                Leb128.Put(bytes, k);
            }
            else
            {
                Leb128.Put(bytes, IndividualSensitivity.GridSize + 1);
                BinaryPrimitives.WriteInt64LittleEndian(bytes.GetSpan(sizeof(long)), BitConverter.DoubleToInt64Bits(factor));
                bytes.Advance(sizeof(long));
            }
            (previous, current, previousLength) = (current, previous, length);
        }
        return bytes.Written.ToArray();
    }

    /// <summary>The JSON of the list whose compact form is <paramref name="compact"/>, byte for byte as it was written.</summary>
    public static string JsonOf(ReadOnlySpan<byte> compact)
    {
        if (compact is not [Version, ..])
        {
            throw new InvalidDataException($"{What} has version {(compact.IsEmpty ? "none" : compact[0])}, not {Version}");
        }
        var at = 1;
        var grid = Leb128.Read(compact, ref at, What);
        var count = Leb128.Read(compact, ref at, What);
        var factors = new List<KeyValuePair<string, double>>(Math.Min(count, compact.Length));
        var id = new byte[64];
        var idLength = 0;
        for (var i = 0; i < count; i++)
        {
            var shared = Leb128.Read(compact, ref at, What);
            var rest = Leb128.Read(compact, ref at, What);
            if (shared > idLength || rest > compact.Length - at)
            {
                throw new InvalidDataException($"{What} ends early or shares more of an id than the one before it has");
            }
            if (shared + rest > id.Length)
            {
                Array.Resize(ref id, Math.Max(shared + rest, 2 * id.Length));
            }
            compact.Slice(at, rest).CopyTo(id.AsSpan(shared));
            (at, idLength) = (at + rest, shared + rest);
            var k = Leb128.Read(compact, ref at, What);
            double factor;
            if (k <= grid)
            {
                factor = (double)k / grid;
            }
            else if (k == grid + 1 && compact.Length - at >= sizeof(long))
            {
                factor = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(compact[at..]));
                at += sizeof(long);
            }
            else
            {
                throw new InvalidDataException($"{What} has a factor it cannot read");
            }
            factors.Add(new(Utf8(id.AsSpan(0, idLength)), factor));
        }
        if (at != compact.Length)
        {
            throw new InvalidDataException($"{What} has bytes past its entries");
        }
        using var json = WriteJson(factors);
        return Encoding.UTF8.GetString(json.Written.Span);
    }

    private static string Utf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"{What} holds an id that is not UTF-8", e);
        }
    }

    // k when the factor is k / GridSize exactly (as IndividualSensitivity.RoundUp leaves it), else −1.
    private static int GridIndex(double factor) =>
        Math.Round(factor * IndividualSensitivity.GridSize) is var k && k >= 0 && k < Numbers.Length && (double)(int)k / IndividualSensitivity.GridSize == factor
            ? (int)k
            : -1;

    private static byte[] Number(double value)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteNumberValue(value);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private sealed class Converter : JsonConverter<SensitivityList>
    {
        public override SensitivityList Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("a sensitivity list is only written");

        public override void Write(Utf8JsonWriter writer, SensitivityList value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Json.Span, skipInputValidation: true); // written by a Utf8JsonWriter above
    }
}
