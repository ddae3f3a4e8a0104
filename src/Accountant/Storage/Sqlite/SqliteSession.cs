using Accounting.Accountant.Storage.Shared;
using Microsoft.Data.Sqlite;

namespace Accounting.Accountant.Storage.Sqlite;

/// <summary>
/// One transaction on the SQLite file. The SQL of each table lives in the partial file named for it. On the writer's
/// connection, statements run prepared from its <see cref="StatementCache"/>; elsewhere (reads on pooled connections)
/// through Dapper.
/// </summary>
internal sealed partial class SqliteSession(SqliteConnection connection, SqliteTransaction transaction, StatementCache? statements = null)
    : DapperSession(connection, transaction), IStoreSession
{
    // SQLite allows at most 32766 bound parameters per statement; lists are sent in chunks below that.
    private const int ParameterChunk = 10_000;

    /// <inheritdoc />
    protected override string InIds(string column) => $"{column} IN @ids"; // Dapper expands a list into parameters here

    /// <inheritdoc />
    protected override T? Single<T>(string sql, object? parameters = null) where T : default =>
        statements is not null && StatementCache.CanBind(parameters) ? statements.Single<T>(transaction, sql, parameters) : base.Single<T>(sql, parameters);

    /// <inheritdoc />
    protected override List<T> Query<T>(string sql, object? parameters = null) =>
        statements is not null && StatementCache.CanBind(parameters) ? statements.Query<T>(transaction, sql, parameters) : base.Query<T>(sql, parameters);

    /// <inheritdoc />
    protected override int Execute(string sql, object? parameters = null) =>
        statements is not null && StatementCache.CanBind(parameters) ? statements.Execute(transaction, sql, parameters) : base.Execute(sql, parameters);

    // A statement run many times in one call (bulk inserts), prepared once for it.
    private SqliteCommand Prepare(string sql, params string[] parameterNames)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        command.Prepare();
        return command;
    }

    private static IEnumerable<IReadOnlyList<T>> Chunks<T>(IReadOnlyCollection<T> items) => items.Chunk(ParameterChunk);
}
