using System.Text;
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

    /// <summary>Whether this transaction staged entries, which must be sealed into the chain once it commits.</summary>
    public bool Staged { get; private set; }

    /// <inheritdoc />
    /// <remarks>
    /// Staged, not chained: taking the chain's head here would make every write wait for every other until commit.
    /// The store seals the entry (<see cref="SealStaged"/>) after this transaction commits, before acknowledging it.
    /// </remarks>
    public void AppendLedger(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var stored = Share(entry);
        Execute(
            $"""
            INSERT INTO ledger_staged (at, actor, kind, task_id, payload, shared_id, shared_at, listed, listed_at)
            VALUES (@At, @Actor, @Kind, @TaskId, {TextOfUtf8("@Payload")}, @SharedId, @SharedAt, @Listed, @ListedAt)
            """,
            new { entry.At, entry.Actor, entry.Kind, entry.TaskId, stored.Payload, stored.SharedId, stored.SharedAt, stored.Listed, stored.ListedAt });
        Staged = true;
    }

    /// <summary>
    /// Chains up to <paramref name="limit"/> committed staged entries, in staging order, after the head, and returns
    /// how many. The head row stays locked until this (short, READ COMMITTED) transaction ends, so sealers take turns;
    /// each statement after the lock sees what the sealer before committed, so no entry is sealed twice.
    /// </summary>
    public int SealStaged(int limit)
    {
        var head = Single<long>("SELECT seq FROM ledger_head FOR UPDATE");
        var staged = Query<StagedEntry>(
            """
            SELECT id AS Id, at AS At, actor AS Actor, kind AS Kind, task_id AS TaskId, payload AS Payload, shared_id AS SharedId,
                   shared_at AS SharedAt, (SELECT json FROM ledger_shared s WHERE s.id = ledger_staged.shared_id) AS SharedText,
                   listed AS Listed, listed_at AS ListedAt
            FROM ledger_staged ORDER BY id LIMIT @limit
            """,
            new { limit });
        if (staged.Count == 0)
        {
            return 0;
        }
        var prevHash = head == 0
            ? LedgerChain.Genesis.ToArray()
            : Single<byte[]?>("SELECT hash FROM ledger WHERE seq = @head", new { head })
                ?? throw new InvalidOperationException("the ledger has entries without hashes; the start-up backfill did not run");
        InsertLedgerEntries(staged.Select(e => (e.ToEntry(), new StoredPayload(Encoding.UTF8.GetBytes(e.Payload), e.SharedId, e.SharedAt, e.Listed, e.ListedAt))), head + 1, prevHash);
        Execute("DELETE FROM ledger_staged WHERE id = ANY(@ids)", new { ids = staged.Select(e => e.Id).ToArray() });
        Execute("UPDATE ledger_head SET seq = @seq", new { seq = head + staged.Count });
        return staged.Count;
    }

    // Staged as the ledger stores it (payload cut, shared value kept once, list compact), so it moves into the ledger
    // as it is; its whole payload, spliced as a ledger row's, is what the chain hashes.
    private sealed record StagedEntry(
        long Id, string At, string Actor, string Kind, string? TaskId, string Payload, byte[]? SharedId, long? SharedAt, string? SharedText,
        byte[]? Listed, long? ListedAt)
    {
        public LedgerEntry ToEntry() =>
            new(At, Actor, Kind, TaskId,
                Encoding.UTF8.GetBytes(new StoredLedgerRow(Id, At, Actor, Kind, TaskId, Payload, null, null, SharedAt, SharedText, Listed, ListedAt).ToRow().Payload));
    }
}
