using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Accounting.Accountant.Storage;

namespace Accounting.Accountant.Audit;

/// <summary>
/// JSON Lines (https://jsonlines.org): one object per line with seq, at, actor, kind, task, payload, prevHash and
/// hash. The payload is the stored JSON text written as is, so the hash can be recomputed from the line.
/// </summary>
public sealed class JsonLinesFormat : LedgerExportFormat
{
    /// <summary>The media type of JSON Lines.</summary>
    public const string MediaType = "application/jsonl";

    // Relaxed escaping keeps times ('+') and ids readable; the export is data, never embedded in HTML.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <inheritdoc />
    public override string ContentType => MediaType;

    /// <inheritdoc />
    public override void Write(IBufferWriter<byte> output, LedgerRow entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var (prevHash, hash) = Link(entry);
        using var writer = new Utf8JsonWriter(output, Options);
        writer.WriteStartObject();
        writer.WriteNumber("seq", entry.Seq);
        writer.WriteString("at", entry.At);
        writer.WriteString("actor", entry.Actor);
        writer.WriteString("kind", entry.Kind);
        writer.WriteString("task", entry.TaskId);
        writer.WritePropertyName("payload");
        // The service stores compact JSON it serialised itself: valid, and without raw line breaks.
        writer.WriteRawValue(entry.Payload, skipInputValidation: true);
        writer.WriteString("prevHash", prevHash);
        writer.WriteString("hash", hash);
        writer.WriteEndObject();
        writer.Flush();
        output.Write("\n"u8);
    }
}
