namespace Accounting.Accountant.Storage.Sqlite;

internal sealed partial class SqliteSession
{
    /// <inheritdoc />
    public long AppendLedger(DateTimeOffset at, string actor, string kind, string? taskId, string payload) =>
        Single<long>(
            "INSERT INTO ledger (at, actor, kind, task_id, payload) VALUES (@at, @actor, @kind, @taskId, @payload) RETURNING seq",
            new { at = Text(at), actor, kind, taskId, payload });

    /// <inheritdoc />
    public IReadOnlyList<LedgerRow> ReadLedger(long afterSeq, int limit, string? taskId) =>
        [.. Query<StoredEntry>(
            """
            SELECT seq AS Seq, at AS At, actor AS Actor, kind AS Kind, task_id AS TaskId, payload AS Payload FROM ledger
            WHERE seq > @afterSeq AND (@taskId IS NULL OR task_id = @taskId) ORDER BY seq LIMIT @limit
            """, new { afterSeq, limit, taskId }).Select(e => new LedgerRow(e.Seq, Time(e.At), e.Actor, e.Kind, e.TaskId, e.Payload))];

    private sealed record StoredEntry(long Seq, string At, string Actor, string Kind, string? TaskId, string Payload);
}
