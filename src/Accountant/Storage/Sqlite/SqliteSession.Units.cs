using System.Runtime.InteropServices;

namespace Accounting.Accountant.Storage.Sqlite;

internal sealed partial class SqliteSession
{
    private const int MaxBlob = 64 * 1024;

    /// <inheritdoc />
    public int AddUnits(IReadOnlyCollection<string> ids, long groupId)
    {
        // WHERE true: SQLite reads ON CONFLICT after a bare SELECT as a join constraint.
        var added = Execute(
            "INSERT INTO units (id, group_id) SELECT value, @groupId FROM json_each(@ids) WHERE true ON CONFLICT (id) DO NOTHING",
            new { ids = IdList(ids), groupId });
        AddMembers(groupId, added);
        return added;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The new deltas go to the writer's <see cref="WriterUnits"/> and the change to the log; the units' rows are
    /// written later (<see cref="FlushDeltas"/>).
    /// </remarks>
    public override void SetDeltas(IReadOnlyList<DeltaChange> changes)
    {
        var writer = units ?? throw new InvalidOperationException("units' deltas change only on the writer's connection");
        var numbered = new (int Unit, double[]? Added)[changes.Count];
        for (var i = 0; i < changes.Count; i++)
        {
            numbered[i] = (writer.Change(changes[i]), changes[i].Added);
        }
        foreach (var blob in DeltaLog.Encode(numbered, writer.Names))
        {
            Execute("INSERT INTO unit_delta_log (changes) VALUES (@blob)", new { blob });
        }
    }

    /// <summary>Writes the deltas the writer holds to the units' rows and empties the log, in the open transaction.</summary>
    public void FlushDeltas()
    {
        if (units is null || units.Unflushed == 0)
        {
            return;
        }
        WriteDeltaRows(units.Pending());
        Execute("DELETE FROM unit_delta_log");
        units.Flushed();
    }

    /// <summary>
    /// Applies what the log holds (deltas a service had committed but not yet written to the rows when it stopped) to
    /// the rows, in order, and empties it. Returns the number of units changed.
    /// </summary>
    public int ReplayDeltaLog()
    {
        var deltas = new Dictionary<string, double[]?>(StringComparer.Ordinal);
        var log = new DeltaLog.Reader();
        foreach (var blob in Query<byte[]>("SELECT changes FROM unit_delta_log ORDER BY seq"))
        {
            var changes = log.Read(blob);
            var unread = changes.Select(c => c.UnitId).Where(id => !deltas.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
            foreach (var unit in unread.Count == 0 ? [] : base.GetUnits(unread))
            {
                deltas[unit.Id] = unit.Delta;
            }
            foreach (var (unitId, added) in changes)
            {
                // A unit the log names exists: units are never deleted, and the log is written with the change.
                deltas[unitId] = DeltaChange.After(deltas[unitId], added);
            }
        }
        if (deltas.Count > 0)
        {
            WriteDeltaRows([.. deltas.Select(d => (d.Key, d.Value))]);
            Execute("DELETE FROM unit_delta_log");
        }
        return deltas.Count;
    }

    // One statement per curve width and per 64 KB of deltas: the ids as a JSON array and the deltas end to end in one
    // blob, the i-th id's delta at i × width. A statement per unit cost a dozen calls into SQLite each; a blob past
    // 85,000 bytes would go to the large-object heap, where every allocation brings the next full collection nearer
    // (docs/performance.md). A width of 0 stands for no delta.
    private void WriteDeltaRows(IReadOnlyCollection<(string UnitId, double[]? Delta)> deltas)
    {
        foreach (var batch in deltas.GroupBy(d => d.Delta?.Length ?? 0))
        {
            var width = batch.Key * sizeof(double);
            foreach (var chunk in batch.Chunk(width == 0 ? deltas.Count : Math.Max(1, MaxBlob / width)))
            {
                var blob = new byte[width * chunk.Length];
                for (var i = 0; i < chunk.Length; i++)
                {
                    MemoryMarshal.AsBytes(chunk[i].Delta.AsSpan()).CopyTo(blob.AsSpan(i * width));
                }
                Execute(
                    """
                    UPDATE units SET delta = nullif(substr(@blob, j.key * @width + 1, @width), x'')
                    FROM json_each(@ids) AS j WHERE units.id = j.value
                    """, new { ids = IdList([.. chunk.Select(d => d.UnitId)]), blob, width });
            }
        }
    }
}
