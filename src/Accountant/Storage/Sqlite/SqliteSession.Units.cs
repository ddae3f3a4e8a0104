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
    /// One statement per curve width and per 64 KB of deltas: the ids as a JSON array and the deltas end to end in one
    /// blob, the i-th id's delta at i × width. A statement per unit cost a dozen calls into SQLite each, and most of a
    /// 1,000-unit charge's writing; a blob past 85,000 bytes would go to the large-object heap, where every allocation
    /// brings the next full collection nearer (docs/performance.md). A width of 0 stands for no delta.
    /// </remarks>
    public override void SetDeltas(IReadOnlyCollection<(string UnitId, double[]? Delta)> deltas)
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
        if (memo is not null)
        {
            foreach (var (unitId, delta) in deltas)
            {
                memo.RememberDelta(unitId, delta);
            }
        }
    }
}
