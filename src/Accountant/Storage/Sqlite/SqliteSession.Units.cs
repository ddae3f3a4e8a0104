using Dapper;

namespace Accounting.Accountant.Storage.Sqlite;

internal sealed partial class SqliteSession
{
    /// <inheritdoc />
    public IReadOnlyList<UnitRow> GetUnits(IReadOnlyCollection<string> ids) =>
        [.. Chunks(ids).SelectMany(chunk => Query<StoredUnit>($"SELECT {UnitColumns} FROM units WHERE id IN @chunk", new { chunk }))
            .Select(u => u.ToRow())];

    /// <inheritdoc />
    public int AddUnits(IReadOnlyCollection<string> ids, long groupId)
    {
        using var insert = Prepare("INSERT OR IGNORE INTO units (id, group_id) VALUES ($id, $group)", "$id", "$group");
        insert.Parameters["$group"].Value = groupId;
        var added = 0;
        foreach (var id in ids)
        {
            insert.Parameters["$id"].Value = id;
            added += insert.ExecuteNonQuery();
        }
        AddMembers(groupId, added);
        return added;
    }

    /// <inheritdoc />
    public void MoveUnits(IReadOnlyCollection<string> ids, long fromGroupId, long toGroupId)
    {
        var moved = Chunks(ids).Sum(chunk => Execute(
            "UPDATE units SET group_id = @toGroupId WHERE group_id = @fromGroupId AND id IN @chunk",
            new { chunk, fromGroupId, toGroupId }));
        AddMembers(fromGroupId, -moved);
        AddMembers(toGroupId, moved);
    }
}
