namespace Accounting.Accountant.Storage.Postgres;

internal sealed partial class PostgresSession
{
    private const string UnitColumns = "id AS Id, group_id AS GroupId, delta AS Delta";

    /// <inheritdoc />
    public UnitRow? GetUnit(string id) =>
        Single<StoredUnit>($"SELECT {UnitColumns} FROM units WHERE id = @id", new { id })?.ToRow();

    /// <inheritdoc />
    public IReadOnlyList<UnitRow> GetUnits(IReadOnlyCollection<string> ids) =>
        [.. Query<StoredUnit>($"SELECT {UnitColumns} FROM units WHERE id = ANY(@ids)", new { ids = ids.ToArray() }).Select(u => u.ToRow())];

    /// <inheritdoc />
    public IReadOnlyList<UnitRow> UnitsWithDelta(long groupId) =>
        [.. Query<StoredUnit>($"SELECT {UnitColumns} FROM units WHERE group_id = @groupId AND delta IS NOT NULL", new { groupId })
            .Select(u => u.ToRow())];

    /// <inheritdoc />
    public IReadOnlyList<string> MemberIds(long groupId) =>
        Query<string>("SELECT id FROM units WHERE group_id = @groupId ORDER BY id", new { groupId });

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

    /// <inheritdoc />
    public void SetDelta(string unitId, double[]? delta) =>
        Execute("UPDATE units SET delta = @delta WHERE id = @unitId", new { unitId, delta = delta is null ? null : CurveBytes.From(delta) });

    /// <inheritdoc />
    public IReadOnlyList<string> ExcludedUnits(string taskId, string? after, int limit) =>
        Query<string>(
            """
            SELECT u.id FROM units u
            WHERE u.group_id IN (SELECT group_id FROM group_tasks WHERE task_id = @taskId AND excluded_step IS NOT NULL)
              AND u.id > @after
            ORDER BY u.id LIMIT @limit
            """, new { taskId, after = after ?? "", limit });
}
