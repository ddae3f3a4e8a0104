namespace Accounting.Accountant.Storage.Shared;

internal abstract partial class DapperSession
{
    /// <summary>The columns of a unit row.</summary>
    protected const string UnitColumns = "id AS Id, group_id AS GroupId, delta AS Delta";

    /// <inheritdoc />
    public virtual UnitRow? GetUnit(string id) =>
        Single<StoredUnit>($"SELECT {UnitColumns} FROM units WHERE id = @id", new { id })?.ToRow();

    /// <inheritdoc cref="IStoreSession.GetUnits"/>
    public virtual IReadOnlyList<UnitRow> GetUnits(IReadOnlyCollection<string> ids) =>
        [.. Query<StoredUnit>($"SELECT {UnitColumns} FROM units WHERE {InIds("id")}", new { ids = IdList(ids) }).Select(u => u.ToRow())];

    /// <inheritdoc cref="IStoreSession.MoveUnits"/>
    public virtual void MoveUnits(IReadOnlyCollection<string> ids, long fromGroupId, long toGroupId)
    {
        var moved = Execute(
            $"UPDATE units SET group_id = @toGroupId WHERE group_id = @fromGroupId AND {InIds("id")}",
            new { ids = IdList(ids), fromGroupId, toGroupId });
        AddMembers(fromGroupId, -moved);
        AddMembers(toGroupId, moved);
    }

    /// <inheritdoc />
    public virtual IReadOnlyList<UnitRow> UnitsWithDelta(long groupId) =>
        [.. Query<StoredUnit>($"SELECT {UnitColumns} FROM units WHERE group_id = @groupId AND delta IS NOT NULL", new { groupId })
            .Select(u => u.ToRow())];

    /// <inheritdoc />
    public IReadOnlyList<string> MemberIds(long groupId) =>
        Query<string>("SELECT id FROM units WHERE group_id = @groupId ORDER BY id", new { groupId });

    /// <inheritdoc />
    public IReadOnlyList<string> ExcludedUnits(string taskId, string? after, int limit) =>
        Query<string>(
            """
            SELECT u.id FROM units u
            WHERE u.group_id IN (SELECT group_id FROM group_tasks WHERE task_id = @taskId AND excluded_step IS NOT NULL)
              AND u.id > @after
            ORDER BY u.id LIMIT @limit
            """, new { taskId, after = after ?? "", limit });

    /// <inheritdoc />
    public abstract void SetDeltas(IReadOnlyList<DeltaChange> changes);
}
