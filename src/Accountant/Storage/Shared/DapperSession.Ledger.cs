using System.Text;
using Accounting.Accountant.Audit;
using Accounting.Accountant.Domain;

namespace Accounting.Accountant.Storage.Shared;

internal abstract partial class DapperSession
{
    // The payload as stored, with the shared value and the list it holds (if any) and where they go: see StoredLedgerRow.
    private const string LedgerColumns =
        "seq AS Seq, at AS At, actor AS Actor, kind AS Kind, task_id AS TaskId, payload AS Payload, prev_hash AS PrevHash, hash AS Hash, "
        + "shared_at AS SharedAt, (SELECT json FROM ledger_shared s WHERE s.id = ledger.shared_id) AS SharedText, listed AS Listed, listed_at AS ListedAt";

    /// <summary>A WITH clause naming the cohorts @unit is in now, <c>unit_cohorts(cohort)</c>, read from its group.</summary>
    protected abstract string UnitCohorts { get; }

    /// <summary>The predicate of entries concerning @unit (see AuditEndpoints.Ledger), in the dialect's JSON functions.</summary>
    protected abstract string ConcernsUnit { get; }

    /// <summary>The text whose UTF-8 bytes are bound as <paramref name="parameter"/>, in the dialect's SQL.</summary>
    protected abstract string TextOfUtf8(string parameter);

    /// <summary>
    /// Hashes entries onto the chain after <paramref name="prevHash"/>, in order, and inserts them, each in the form
    /// <see cref="Share"/> gave it, from <paramref name="firstSeq"/> on; returns the last one's hash.
    /// </summary>
    protected byte[] InsertLedgerEntries(IEnumerable<(LedgerEntry Entry, StoredPayload Stored)> entries, long firstSeq, byte[] prevHash)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var rows = new List<object>();
        var seq = firstSeq;
        foreach (var (entry, stored) in entries)
        {
            var hash = LedgerChain.Hash(prevHash, seq, entry.At, entry.Actor, entry.Kind, entry.TaskId, entry.Payload);
            rows.Add(new { seq, entry.At, entry.Actor, entry.Kind, entry.TaskId, stored.Payload, prevHash, hash, stored.SharedId, stored.SharedAt, stored.Listed, stored.ListedAt });
            (seq, prevHash) = (seq + 1, hash);
        }
        Execute(
            $"""
            INSERT INTO ledger (seq, at, actor, kind, task_id, payload, prev_hash, hash, shared_id, shared_at, listed, listed_at)
            VALUES (@seq, @At, @Actor, @Kind, @TaskId, {TextOfUtf8("@Payload")}, @prevHash, @hash, @SharedId, @SharedAt, @Listed, @ListedAt)
            """, rows);
        return prevHash;
    }

    /// <summary>
    /// The entry's payload as stored: without its list, kept in its compact form in the row, and then without its shared
    /// value, which is kept once (a lookup, and a write only the first time), each with where it goes; or the whole
    /// payload when it has neither. Reading puts them back in the opposite order.
    /// </summary>
    protected StoredPayload Share(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var (payload, listed, listedAt) = (entry.Payload, (byte[]?)null, (long?)null);
        if (entry.Listed is { Compact: { } compact } list && PayloadCut.Cut(payload, list.Json.Span) is var (cut, at))
        {
            (payload, listed, listedAt) = (cut, compact, at);
        }
        if (entry.Shared is not { } shared || shared.CutFrom(payload) is not var (stored, sharedAt))
        {
            return new StoredPayload(payload, null, null, listed, listedAt);
        }
        StoreShared(shared);
        return new StoredPayload(stored, shared.Id, sharedAt, listed, listedAt);
    }

    /// <summary>Keeps the shared value under its id unless it is kept already.</summary>
    protected virtual void StoreShared(SharedJson shared)
    {
        ArgumentNullException.ThrowIfNull(shared);
        if (Single<long>("SELECT count(*) FROM ledger_shared WHERE id = @id", new { id = shared.Id }) == 0)
        {
            Execute("INSERT INTO ledger_shared (id, json) VALUES (@id, @json) ON CONFLICT DO NOTHING", new { id = shared.Id, json = shared.Text });
        }
    }

    /// <summary>
    /// A payload as a ledger row holds it, in UTF-8: whole, or cut where its list (Listed, compact) and its shared value
    /// (kept under SharedId) go.
    /// </summary>
    protected readonly record struct StoredPayload(byte[] Payload, byte[]? SharedId, long? SharedAt, byte[]? Listed, long? ListedAt);

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
        return Query<StoredLedgerRow>(sql.ToString(), new
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
        }).ConvertAll(r => r.ToRow());
    }

    /// <inheritdoc />
    public LedgerRow? LedgerEntryBefore(long seq) =>
        Single<StoredLedgerRow>($"SELECT {LedgerColumns} FROM ledger WHERE seq < @seq ORDER BY seq DESC LIMIT 1", new { seq })?.ToRow();

    /// <inheritdoc />
    public IReadOnlyList<LedgerRow> UnhashedLedger(int limit) =>
        Query<StoredLedgerRow>($"SELECT {LedgerColumns} FROM ledger WHERE hash IS NULL ORDER BY seq LIMIT @limit", new { limit }).ConvertAll(r => r.ToRow());

    /// <inheritdoc />
    public void SetLedgerHash(long seq, byte[] prevHash, byte[] hash) =>
        Execute("UPDATE ledger SET prev_hash = @prevHash, hash = @hash WHERE seq = @seq", new { seq, prevHash, hash });
}
