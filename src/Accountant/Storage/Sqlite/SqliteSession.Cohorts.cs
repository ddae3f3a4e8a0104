namespace Accounting.Accountant.Storage.Sqlite;

internal sealed partial class SqliteSession
{
    /// <inheritdoc />
    protected override void StageIncoming(IReadOnlyList<string> ids) =>
        Execute(
            """
            CREATE TEMP TABLE IF NOT EXISTS incoming (id TEXT PRIMARY KEY) WITHOUT ROWID;
            DELETE FROM incoming;
            INSERT OR IGNORE INTO incoming (id) SELECT value FROM json_each(@ids);
            """, new { ids = IdList(ids) });
}
