using Accounting.Accountant.Audit;

namespace Accounting.Accountant.Storage.Postgres;

internal sealed partial class PostgresSession
{
    // The cohorts a unit is in now, read from its group (no index on cohort_members by unit is needed).
    protected override string UnitCohorts =>
        """
        WITH unit_cohorts (cohort) AS (
            SELECT jsonb_array_elements_text(g.cohorts::jsonb) FROM units u JOIN unit_groups g ON g.id = u.group_id WHERE u.id = @unit)

        """;

    // Entries concerning a unit (see AuditEndpoints.Ledger for the definition). CASE keeps the array expansion to the
    // kinds whose payload has a units array.
    protected override string ConcernsUnit =>
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
        InsertLedgerEntry(seq, prevHash, at, actor, kind, taskId, payload);
        Execute("UPDATE ledger_head SET seq = @seq", new { seq });
        return seq;
    }
}
