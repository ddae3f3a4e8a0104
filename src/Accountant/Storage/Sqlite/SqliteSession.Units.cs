using System.Runtime.InteropServices;

namespace Accounting.Accountant.Storage.Sqlite;

internal sealed partial class SqliteSession
{
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
    /// One statement per curve width (one, in a charge): the ids as a JSON array and the deltas end to end in one blob,
    /// the i-th id's delta at i × width. A statement per unit cost a dozen calls into SQLite each, and most of a
    /// 1,000-unit charge's writing. A width of 0 stands for no delta.
    /// </remarks>
    public override void SetDeltas(IReadOnlyCollection<(string UnitId, double[]? Delta)> deltas)
    {
        foreach (var batch in deltas.GroupBy(d => d.Delta?.Length ?? 0))
        {
            var width = batch.Key * sizeof(double);
            var ids = new List<string>();
            var blob = new byte[width * batch.Count()];
            foreach (var (unitId, delta) in batch)
            {
                MemoryMarshal.AsBytes(delta.AsSpan()).CopyTo(blob.AsSpan(ids.Count * width));
                ids.Add(unitId);
            }
            Execute(
                """
                UPDATE units SET delta = nullif(substr(@blob, j.key * @width + 1, @width), x'')
                FROM json_each(@ids) AS j WHERE units.id = j.value
                """, new { ids = IdList(ids), blob, width });
        }
        if (memo is not null)
        {
            foreach (var (unitId, delta) in deltas)
            {
                memo.RememberDelta(unitId, delta);
            }
        }
    }
}
