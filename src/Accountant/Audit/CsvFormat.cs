using System.Buffers;
using System.Globalization;
using System.Text;
using Accounting.Accountant.Storage;

namespace Accounting.Accountant.Audit;

/// <summary>
/// CSV (RFC 4180): a header row, then one row per entry with the columns seq, at, actor, kind, task, payload (the
/// stored JSON text), prevHash and hash; rows end in CRLF. An entry without a task has an empty task field (task ids
/// are never empty).
/// </summary>
public sealed class CsvFormat : LedgerExportFormat
{
    /// <summary>The media type of CSV (RFC 4180 §3, RFC 7111).</summary>
    public const string MediaType = "text/csv";

    /// <inheritdoc />
    public override string ContentType => $"{MediaType}; charset=utf-8; header=present";

    /// <inheritdoc />
    public override void WriteHeader(IBufferWriter<byte> output) =>
        Encoding.UTF8.GetBytes("seq,at,actor,kind,task,payload,prevHash,hash\r\n", output);

    /// <inheritdoc />
    public override void Write(IBufferWriter<byte> output, LedgerRow entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var (prevHash, hash) = Link(entry);
        var row = string.Join(',',
            entry.Seq.ToString(CultureInfo.InvariantCulture), Field(entry.At), Field(entry.Actor), Field(entry.Kind),
            Field(entry.TaskId ?? ""), Field(entry.Payload), prevHash, hash);
        Encoding.UTF8.GetBytes(row + "\r\n", output);
    }

    // RFC 4180 §2.6–2.7: a field holding a comma, a quote or a line break is quoted, its quotes doubled.
    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
