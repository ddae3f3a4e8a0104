using System.Text.Json;
using Accounting.Accountant.Storage;

namespace Accounting.Accountant.Endpoints;

/// <summary>The ledger, for auditors: every accepted charge and every budget or membership change, in order.</summary>
public static class AuditEndpoints
{
    private const int Page = 1000;

    /// <summary>Maps the audit endpoints.</summary>
    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/ledger", Ledger).WithName("ExportLedger").Produces(StatusCodes.Status200OK, contentType: "application/jsonl");
        return group.WithTags("Audit").ProducesValidationProblem();
    }

    /// <summary>The ledger as JSON Lines (one entry per line: seq, at, actor, kind, task, payload), streamed page by page.</summary>
    /// <param name="task">Only entries of this task.</param>
    /// <param name="after">Only entries after this sequence number.</param>
    public static async Task Ledger(string? task, long? after, IAccountingStore store, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.ContentType = "application/jsonl";
        var seq = after ?? 0;
        while (true)
        {
            var entries = await store.ReadAsync(s => s.ReadLedger(seq, Page, task), cancellationToken).ConfigureAwait(false);
            foreach (var entry in entries)
            {
                var line = JsonSerializer.SerializeToUtf8Bytes(new
                {
                    seq = entry.Seq, at = entry.At, actor = entry.Actor, kind = entry.Kind, task = entry.TaskId,
                    payload = JsonDocument.Parse(entry.Payload).RootElement,
                });
                await context.Response.Body.WriteAsync(line, cancellationToken).ConfigureAwait(false);
                await context.Response.Body.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                seq = entry.Seq;
            }
            if (entries.Count < Page)
            {
                return;
            }
        }
    }
}
