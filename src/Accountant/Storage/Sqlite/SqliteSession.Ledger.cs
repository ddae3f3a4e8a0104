using System.Text;
using Accounting.Accountant.Audit;
using Accounting.Accountant.Domain;

namespace Accounting.Accountant.Storage.Sqlite;

internal sealed partial class SqliteSession
{
    private const string LedgerColumns =
        "seq AS Seq, at AS At, actor AS Actor, kind AS Kind, task_id AS TaskId, payload AS Payload, prev_hash AS PrevHash, hash AS Hash";

    // The cohorts a unit is in now, read from its group (no index on cohort_members by unit is needed).
    private const string UnitCohorts =
        """
        WITH unit_cohorts (cohort) AS (
            SELECT j.value FROM units u JOIN unit_groups g ON g.id = u.group_id, json_each(g.cohorts) j WHERE u.id = @unit)

        """;

    // Entries concerning a unit (see AuditEndpoints.Ledger for the definition).
    private const string ConcernsUnit =
        """
         AND (
            (kind IN (@unitsRegistered, @cohortMembersAdded) AND EXISTS (SELECT 1 FROM json_each(payload, '$.units') WHERE value = @unit))
            OR (kind = @unitBudgetSet AND json_extract(payload, '$.unit') = @unit)
            OR (kind = @defaultBudgetSet AND json_extract(payload, '$.unitKind') = (
                SELECT b.unit_kind FROM units u JOIN unit_groups g ON g.id = u.group_id JOIN budgets b ON b.id = g.budget_id WHERE u.id = @unit))
            OR (kind = @cohortCreated AND json_extract(payload, '$.cohort') IN (SELECT cohort FROM unit_cohorts))
            OR task_id IN (SELECT id FROM tasks WHERE cohort_id IN (SELECT cohort FROM unit_cohorts)))
        """;

    /// <inheritdoc />
    public long AppendLedger(DateTimeOffset at, string actor, string kind, string? taskId, string payload)
    {
        // Writes are serialised (one write transaction at a time), so the head read here stays the head until the insert.
        var head = Single<ChainHead>("SELECT seq AS Seq, hash AS Hash FROM ledger ORDER BY seq DESC LIMIT 1");
        var seq = (head?.Seq ?? 0) + 1;
        var prevHash = head is null
            ? LedgerChain.Genesis.ToArray()
            : head.Hash ?? throw new InvalidOperationException("the ledger has entries without hashes; the start-up backfill did not run");
        var text = StoredTime.Text(at);
        var hash = LedgerChain.Hash(prevHash, seq, text, actor, kind, taskId, payload);
        Execute(
            """
            INSERT INTO ledger (seq, at, actor, kind, task_id, payload, prev_hash, hash)
            VALUES (@seq, @text, @actor, @kind, @taskId, @payload, @prevHash, @hash)
            """, new { seq, text, actor, kind, taskId, payload, prevHash, hash });
        return seq;
    }

    /// <inheritdoc />
    public IReadOnlyList<LedgerRow> ReadLedger(LedgerFilter filter, long afterSeq, int limit)
    {
        ArgumentNullException.ThrowIfNull(filter);
        // Only the predicates in use, so that SQLite can pick ledger_by_task for a task; values are always bound.
        var sql = new StringBuilder();
        sql.Append(filter.UnitId is null ? "" : UnitCohorts);
        sql.Append($"SELECT {LedgerColumns} FROM ledger WHERE seq > @afterSeq AND seq <= @through");
        sql.Append(filter.From is null ? "" : " AND at >= @from");
        sql.Append(filter.To is null ? "" : " AND at < @to");
        sql.Append(filter.TaskId is null ? "" : " AND task_id = @task");
        sql.Append(filter.UnitId is null ? "" : ConcernsUnit);
        sql.Append(" ORDER BY seq LIMIT @limit");
        return Query<LedgerRow>(sql.ToString(), new
        {
            afterSeq,
            through = filter.ThroughSeq,
            limit,
            task = filter.TaskId,
            unit = filter.UnitId,
            // Stored times are UTC in the round-trip format, so text order is time order.
            from = filter.From is { } from ? StoredTime.Text(from.ToUniversalTime()) : null,
            to = filter.To is { } to ? StoredTime.Text(to.ToUniversalTime()) : null,
            unitsRegistered = LedgerKinds.UnitsRegistered,
            cohortMembersAdded = LedgerKinds.CohortMembersAdded,
            unitBudgetSet = LedgerKinds.UnitBudgetSet,
            defaultBudgetSet = LedgerKinds.DefaultBudgetSet,
            cohortCreated = LedgerKinds.CohortCreated,
        });
    }

    /// <inheritdoc />
    public LedgerRow? LedgerEntryBefore(long seq) =>
        Single<LedgerRow>($"SELECT {LedgerColumns} FROM ledger WHERE seq < @seq ORDER BY seq DESC LIMIT 1", new { seq });

    /// <inheritdoc />
    public IReadOnlyList<LedgerRow> UnhashedLedger(int limit) =>
        Query<LedgerRow>($"SELECT {LedgerColumns} FROM ledger WHERE hash IS NULL ORDER BY seq LIMIT @limit", new { limit });

    /// <inheritdoc />
    public void SetLedgerHash(long seq, byte[] prevHash, byte[] hash) =>
        Execute("UPDATE ledger SET prev_hash = @prevHash, hash = @hash WHERE seq = @seq", new { seq, prevHash, hash });

    private sealed record ChainHead(long Seq, byte[]? Hash);
}
