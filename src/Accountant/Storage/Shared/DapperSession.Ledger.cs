using System.Text;
using Accounting.Accountant.Audit;
using Accounting.Accountant.Domain;

namespace Accounting.Accountant.Storage.Shared;

internal abstract partial class DapperSession
{
    private const string LedgerColumns =
        "seq AS Seq, at AS At, actor AS Actor, kind AS Kind, task_id AS TaskId, payload AS Payload, prev_hash AS PrevHash, hash AS Hash";

    /// <summary>A WITH clause naming the cohorts @unit is in now, <c>unit_cohorts(cohort)</c>, read from its group.</summary>
    protected abstract string UnitCohorts { get; }

    /// <summary>The predicate of entries concerning @unit (see AuditEndpoints.Ledger), in the dialect's JSON functions.</summary>
    protected abstract string ConcernsUnit { get; }

    /// <summary>
    /// Hashes entries onto the chain after <paramref name="prevHash"/>, in order, and inserts them from
    /// <paramref name="firstSeq"/> on; returns the last one's hash.
    /// </summary>
    protected byte[] InsertLedgerEntries(IEnumerable<LedgerEntry> entries, long firstSeq, byte[] prevHash)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var rows = new List<object>();
        var seq = firstSeq;
        foreach (var entry in entries)
        {
            var hash = LedgerChain.Hash(prevHash, seq, entry.At, entry.Actor, entry.Kind, entry.TaskId, entry.Payload);
            rows.Add(new { seq, entry.At, entry.Actor, entry.Kind, entry.TaskId, entry.Payload, prevHash, hash });
            (seq, prevHash) = (seq + 1, hash);
        }
        Execute(
            """
            INSERT INTO ledger (seq, at, actor, kind, task_id, payload, prev_hash, hash)
            VALUES (@seq, @At, @Actor, @Kind, @TaskId, @Payload, @prevHash, @hash)
            """, rows);
        return prevHash;
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
            // Stored times are UTC in the round-trip format, so text order is time order (PostgreSQL: "C" collation).
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
