namespace Accounting.Accountant.Storage.Sqlite;

internal sealed partial class SqliteSession
{
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
}
