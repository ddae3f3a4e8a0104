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
}
