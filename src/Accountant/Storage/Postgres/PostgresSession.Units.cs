namespace Accounting.Accountant.Storage.Postgres;

internal sealed partial class PostgresSession
{
    /// <inheritdoc />
    public int AddUnits(IReadOnlyCollection<string> ids, long groupId)
    {
        var added = Execute(
            "INSERT INTO units (id, group_id) SELECT DISTINCT unnest(@ids), @groupId ON CONFLICT (id) DO NOTHING",
            new { ids = IdList(ids), groupId });
        AddMembers(groupId, added);
        return added;
    }

    /// <inheritdoc />
    public override void SetDeltas(IReadOnlyList<DeltaChange> changes) =>
        Execute(
            "UPDATE units AS u SET delta = d.delta FROM unnest(@ids, @deltas) AS d (id, delta) WHERE u.id = d.id",
            new { ids = changes.Select(d => d.UnitId).ToArray(), deltas = changes.Select(d => d.Delta is null ? null : CurveBytes.From(d.Delta)).ToArray() });
}
