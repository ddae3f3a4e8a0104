using System.Text;
using Accounting.Accountant.Audit;
using Accounting.Accountant.Domain;

namespace Accounting.Accountant.Storage.Postgres;

internal sealed partial class PostgresSession
{
    private const string LedgerColumns =
        "seq AS Seq, at AS At, actor AS Actor, kind AS Kind, task_id AS TaskId, payload AS Payload, prev_hash AS PrevHash, hash AS Hash";

    // The cohorts a unit is in now, read from its group (no index on cohort_members by unit is needed).
    private const string UnitCohorts =
        """
        WITH unit_cohorts (cohort) AS (
            SELECT jsonb_array_elements_text(g.cohorts::jsonb) FROM units u JOIN unit_groups g ON g.id = u.group_id WHERE u.id = @unit)

        """;

    // Entries concerning a unit (see AuditEndpoints.Ledger for the definition). CASE keeps the array expansion to the
    // kinds whose payload has a units array.
    private const string ConcernsUnit =
        """
         AND (
            CASE WHEN kind IN (@unitsRegistered, @cohortMembersAdded)
                THEN EXISTS (SELECT 1 FROM jsonb_array_elements_text(payload::jsonb -> 'units') v WHERE v = @unit) ELSE false END
            OR (kind = @unitBudgetSet AND payload::jsonb ->> 'unit' = @unit)
            OR (kind = @defaultBudgetSet AND payload::jsonb ->> 'unitKind' = (
                SELECT b.unit_kind FROM units u JOIN unit_groups g ON g.id = u.group_id JOIN budgets b ON b.id = g.budget_id WHERE u.id = @unit))
            OR (kind = @cohortCreated AND payload::jsonb ->> 'cohort' IN (SELECT cohort FROM unit_cohorts))
            OR task_id IN (SELECT id FROM tasks WHERE cohort_id IN (SELECT cohort FROM unit_cohorts)))
        """;

    /// <inheritdoc />
    public long AppendLedger(DateTimeOffset at, string actor, string kind, string? taskId, string payload)
    {
        // The chain needs one total order of appends: the head row is locked here, late in the writing transaction,
        // and stays locked until it commits or rolls back, so the seq and hash read here are the head's until then.
        var head = Single<long>("SELECT seq FROM ledger_head FOR UPDATE");
        var seq = head + 1;
        var prevHash = head == 0
            ? LedgerChain.Genesis.ToArray()
            : Single<byte[]?>("SELECT hash FROM ledger WHERE seq = @head", new { head })
                ?? throw new InvalidOperationException("the ledger has entries without hashes; the start-up backfill did not run");
        var text = StoredTime.Text(at);
        var hash = LedgerChain.Hash(prevHash, seq, text, actor, kind, taskId, payload);
        Execute(
            """
            INSERT INTO ledger (seq, at, actor, kind, task_id, payload, prev_hash, hash)
            VALUES (@seq, @text, @actor, @kind, @taskId, @payload, @prevHash, @hash);
            UPDATE ledger_head SET seq = @seq;
            """, new { seq, text, actor, kind, taskId, payload, prevHash, hash });
        return seq;
    }

    /// <inheritdoc />
    public IReadOnlyList<LedgerRow> ReadLedger(LedgerFilter filter, long afterSeq, int limit)
    {
        ArgumentNullException.ThrowIfNull(filter);
        // Only the predicates in use, so that the planner can pick ledger_by_task for a task; values are always bound.
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
            // Stored times are UTC in the round-trip format, so text order ("C" collation) is time order.
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
}
