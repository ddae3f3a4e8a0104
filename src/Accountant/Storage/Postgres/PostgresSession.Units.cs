namespace Accounting.Accountant.Storage.Postgres;

internal sealed partial class PostgresSession
{
    /// <inheritdoc />
    public IReadOnlyList<UnitRow> GetUnits(IReadOnlyCollection<string> ids) =>
        [.. Query<StoredUnit>($"SELECT {UnitColumns} FROM units WHERE id = ANY(@ids)", new { ids = ids.ToArray() }).Select(u => u.ToRow())];

    /// <inheritdoc />
    public int AddUnits(IReadOnlyCollection<string> ids, long groupId)
    {
        var added = Execute(
            "INSERT INTO units (id, group_id) SELECT DISTINCT unnest(@ids), @groupId ON CONFLICT (id) DO NOTHING",
            new { ids = ids.ToArray(), groupId });
        AddMembers(groupId, added);
        return added;
    }

    /// <inheritdoc />
    public void MoveUnits(IReadOnlyCollection<string> ids, long fromGroupId, long toGroupId)
    {
        var moved = Execute(
            "UPDATE units SET group_id = @toGroupId WHERE group_id = @fromGroupId AND id = ANY(@ids)",
            new { ids = ids.ToArray(), fromGroupId, toGroupId });
        AddMembers(fromGroupId, -moved);
        AddMembers(toGroupId, moved);
    }
}
