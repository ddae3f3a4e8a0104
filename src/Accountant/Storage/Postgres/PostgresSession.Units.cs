namespace Accounting.Accountant.Storage.Postgres;

internal sealed partial class PostgresSession
{
    /// <inheritdoc />
    public int AddUnits(IReadOnlyCollection<string> ids, long groupId)
    {
        var added = Execute(
            "INSERT INTO units (id, group_id) SELECT DISTINCT unnest(@ids), @groupId ON CONFLICT (id) DO NOTHING",
            new { ids = ids.ToArray(), groupId });
        AddMembers(groupId, added);
        return added;
    }
}
