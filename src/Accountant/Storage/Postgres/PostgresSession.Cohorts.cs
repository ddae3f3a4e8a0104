namespace Accounting.Accountant.Storage.Postgres;

internal sealed partial class PostgresSession
{
    /// <inheritdoc />
    protected override void StageIncoming(IReadOnlyList<string> ids) =>
        // Gone at the end of the transaction, whether it commits or not; "C" so that ids sort as in SQLite.
        Execute(
            """
            CREATE TEMP TABLE IF NOT EXISTS incoming (id text COLLATE "C" PRIMARY KEY) ON COMMIT DROP;
            DELETE FROM incoming;
            INSERT INTO incoming (id) SELECT DISTINCT unnest(@ids);
            """, new { ids = IdList(ids) });
}
