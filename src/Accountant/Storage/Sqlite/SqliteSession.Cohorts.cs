namespace Accounting.Accountant.Storage.Sqlite;

internal sealed partial class SqliteSession
{
    /// <inheritdoc />
    protected override void StageIncoming(IReadOnlyList<string> ids)
    {
        Execute("CREATE TEMP TABLE IF NOT EXISTS incoming (id TEXT PRIMARY KEY) WITHOUT ROWID; DELETE FROM incoming;");
        using var stage = Prepare("INSERT OR IGNORE INTO incoming (id) VALUES ($id)", "$id");
        foreach (var id in ids)
        {
            stage.Parameters["$id"].Value = id;
            stage.ExecuteNonQuery();
        }
    }
}
