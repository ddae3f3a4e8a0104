using System.Globalization;
using System.Text.RegularExpressions;
using Accounting.Accountant.Audit;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Accounting.Accountant.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Accounting.Accountant.Endpoints;

/// <summary>
/// The ledger, for auditors: every accepted charge and every budget or membership change, in order, each entry
/// hash-chained to the one before it (Audit/LedgerChain).
/// </summary>
public static partial class AuditEndpoints
{
    // Entries read at a time: an export holds one page in memory, whatever the ledger's size.
    private const int Page = 500;

    /// <summary>Maps the audit endpoints.</summary>
    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/ledger", Ledger).WithName("ExportLedger")
            .Produces<string>(StatusCodes.Status200OK, JsonLinesFormat.MediaType, CsvFormat.MediaType);
        group.MapGet("/head", Head).WithName("GetLedgerHead");
        return group.WithTags("Audit").ProducesValidationProblem();
    }

    /// <summary>
    /// The ledger, streamed in sequence order as JSON Lines (the default) or as CSV (<c>format=csv</c>, or an
    /// <c>Accept: text/csv</c> header without <c>format</c>). Each entry carries seq, at (the recorded time, as
    /// hashed), actor, kind, task, payload (the recorded JSON, byte for byte), prevHash and hash, where
    /// hash = SHA-256(prevHash ‖ seq, at, actor, kind, task and payload, each length-prefixed) and prevHash is the hash
    /// of the entry before (64 zeros for the first). An unfiltered export is the whole chain and can be checked with
    /// <c>Accounting.Accountant verify &lt;file&gt;</c>, which also recomputes every task's and unit's spend; the
    /// export ends at the head as it was when the export began.
    /// </summary>
    /// <param name="format">jsonl (default) or csv (RFC 4180 with a header row; columns seq, at, actor, kind, task, payload, prevHash, hash; an empty task field means none).</param>
    /// <param name="from">Only entries recorded at or after this time: ISO 8601, e.g. 2025-01-31 or 2025-01-31T12:00:00Z (UTC when no offset is given).</param>
    /// <param name="to">Only entries recorded before this time (ISO 8601, as for from).</param>
    /// <param name="task">Only entries of this task: its creation, charges and state changes.</param>
    /// <param name="unit">
    /// Only entries concerning this unit: its registrations and cohort joins (entries whose units list names it), its
    /// own budget changes, changes to the default policy of its unit kind, the creation of its cohorts, and every entry
    /// of the tasks on its cohorts (creation, charges, state changes). Its cohorts are those it belongs to now.
    /// </param>
    /// <param name="after">Only entries after this sequence number, to resume an export.</param>
    public static async Task Ledger(
        string? format, string? from, string? to, string? task, string? unit, long? after, IAccountingStore store, HttpContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var output = Choose(format, context.Request);
        var (start, end) = (Instant(from, "from"), Instant(to, "to"));
        if (start >= end)
        {
            throw ProblemException.Invalid("to", "must be later than from");
        }
        if (after is < 0)
        {
            throw ProblemException.Invalid("after", "must be ≥ 0");
        }
        var head = await store.ReadAsync(s => s.LedgerEntryBefore(long.MaxValue)?.Seq ?? 0, cancellationToken).ConfigureAwait(false);
        var filter = new LedgerFilter(head, start, end, task is null ? null : Ids.Require(task, "task"), unit is null ? null : Ids.Require(unit, "unit"));

        context.Response.ContentType = output.ContentType;
        var body = context.Response.BodyWriter;
        output.WriteHeader(body);
        var seq = after ?? 0;
        while (true)
        {
            var entries = await store.ReadAsync(s => s.ReadLedger(filter, seq, Page), cancellationToken).ConfigureAwait(false);
            foreach (var entry in entries)
            {
                output.Write(body, entry);
                seq = entry.Seq;
            }
            await body.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (entries.Count < Page)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The ledger's head: the last entry's sequence number, time and hash. An auditor who keeps it can later check
    /// that an export was neither cut short nor rewritten up to it: the export's entry with this seq must carry this hash
    /// (<c>verify --head</c>).
    /// </summary>
    public static async Task<Ok<LedgerHeadResponse>> Head(IAccountingStore store, CancellationToken cancellationToken)
    {
        var head = await store.ReadAsync(s => s.LedgerEntryBefore(long.MaxValue), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(head is { Hash: { } hash }
            ? new LedgerHeadResponse(head.Seq, head.At, LedgerChain.Hex(hash))
            : new LedgerHeadResponse(0, null, LedgerChain.Hex(LedgerChain.Genesis)));
    }

    // The format parameter wins; without it an Accept header naming text/csv asks for CSV.
    private static LedgerExportFormat Choose(string? format, HttpRequest request) => format switch
    {
        "jsonl" => new JsonLinesFormat(),
        "csv" => new CsvFormat(),
        null => request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(CsvFormat.MediaType, StringComparison.OrdinalIgnoreCase))
            ? new CsvFormat()
            : new JsonLinesFormat(),
        _ => throw ProblemException.Invalid("format", "must be jsonl or csv"),
    };

    private static DateTimeOffset? Instant(string? text, string field) =>
        text is null ? null
        : IsoTime().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time
        : throw ProblemException.Invalid(field, "must be an ISO 8601 date or time, e.g. 2025-01-31 or 2025-01-31T12:00:00Z");

    // ISO 8601 extended format as profiled by RFC 3339 §5.6: a date, then optionally a time (seconds and fraction
    // optional) and Z or an offset.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?$")]
    private static partial Regex IsoTime();
}
