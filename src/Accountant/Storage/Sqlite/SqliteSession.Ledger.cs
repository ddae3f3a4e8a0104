using Accounting.Accountant.Audit;

namespace Accounting.Accountant.Storage.Sqlite;

internal sealed partial class SqliteSession
{
    // The cohorts a unit is in now, read from its group (no index on cohort_members by unit is needed).
    protected override string UnitCohorts =>
        """
        WITH unit_cohorts (cohort) AS (
            SELECT j.value FROM units u JOIN unit_groups g ON g.id = u.group_id, json_each(g.cohorts) j WHERE u.id = @unit)

        """;

    // Entries concerning a unit (see AuditEndpoints.Ledger for the definition).
    protected override string ConcernsUnit =>
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
    public void AppendLedger(LedgerEntry entry)
    {
        // Writes are serialised (one write transaction at a time), so the head read here stays the head until the insert.
        var (seq, prevHash) = memo?.Head ?? ReadHead();
        var hash = InsertLedgerEntries([(entry, Share(entry))], seq + 1, prevHash);
        memo?.Head = (seq + 1, hash);
    }

    /// <inheritdoc />
    protected override void StoreShared(SharedJson shared)
    {
        ArgumentNullException.ThrowIfNull(shared);
        if (memo?.IsShared(shared.Id) is true)
        {
            return;
        }
        base.StoreShared(shared);
        memo?.RememberShared(shared.Id);
    }

    // The last entry's seq and hash (0 and the genesis hash before the first).
    private (long Seq, byte[] Hash) ReadHead()
    {
        var head = Single<ChainHead>("SELECT seq AS Seq, hash AS Hash FROM ledger ORDER BY seq DESC LIMIT 1");
        return head is null
            ? (0, LedgerChain.Genesis.ToArray())
            : (head.Seq, head.Hash ?? throw new InvalidOperationException("the ledger has entries without hashes; the start-up backfill did not run"));
    }

    private sealed record ChainHead(long Seq, byte[]? Hash);
}
