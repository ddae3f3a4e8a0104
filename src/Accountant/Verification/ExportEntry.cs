using System.Text.Json;
using Accounting.Accountant.Audit;

namespace Accounting.Accountant.Verification;

/// <summary>
/// One line of a JSON Lines export, read without interpreting it: the hashed fields (the payload as the raw bytes
/// found in the line, which is how the service writes it) and the line's claimed chain link.
/// </summary>
public sealed record ExportEntry(long Seq, string At, string Actor, string Kind, string? Task, ReadOnlyMemory<byte> Payload, byte[] PrevHash, byte[] Hash)
{
    /// <summary>The entry on a line; throws <see cref="FormatException"/> saying what is wrong with it.</summary>
    public static ExportEntry Parse(byte[] line)
    {
        ArgumentNullException.ThrowIfNull(line);
        try
        {
            return Read(line);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FormatException(e.Message, e);
        }
    }

    private static ExportEntry Read(byte[] line)
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("not a JSON object");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long? seq = null;
        string? at = null, actor = null, kind = null, task = null;
        ReadOnlyMemory<byte>? payload = null;
        byte[]? prevHash = null, hash = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!; // a property name is a string
            if (!seen.Add(name))
            {
                throw new FormatException($"\"{name}\" appears twice");
            }
            reader.Read();
            switch (name)
            {
                case "seq": seq = reader.GetInt64(); break;
                case "at": at = reader.GetString(); break;
                case "actor": actor = reader.GetString(); break;
                case "kind": kind = reader.GetString(); break;
                case "task": task = reader.TokenType == JsonTokenType.Null ? null : reader.GetString(); break;
                case "payload":
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    payload = line.AsMemory(start, (int)reader.BytesConsumed - start);
                    break;
                case "prevHash": prevHash = HashOf(reader.GetString()); break;
                case "hash": hash = HashOf(reader.GetString()); break;
                default: reader.Skip(); break;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new FormatException("not one JSON object");
        }
        if (!seen.Contains("task"))
        {
            throw new FormatException("\"task\" is missing");
        }
        return new ExportEntry(
            seq ?? throw Missing("seq"), at ?? throw Missing("at"), actor ?? throw Missing("actor"), kind ?? throw Missing("kind"),
            task, payload ?? throw Missing("payload"), prevHash ?? throw Missing("prevHash"), hash ?? throw Missing("hash"));
    }

    private static byte[] HashOf(string? hex) =>
        hex is { Length: LedgerChain.HashSize * 2 } && hex.All(char.IsAsciiHexDigitLower)
            ? Convert.FromHexString(hex)
            : throw new FormatException($"a hash must be {LedgerChain.HashSize * 2} lowercase hex digits");

    private static FormatException Missing(string name) => new($"\"{name}\" is missing");
}
