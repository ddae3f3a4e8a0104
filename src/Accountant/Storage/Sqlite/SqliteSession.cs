using System.Text.Json;
using Accounting.Accountant.Storage.Shared;
using Microsoft.Data.Sqlite;

namespace Accounting.Accountant.Storage.Sqlite;

/// <summary>
/// One transaction on the SQLite file. The SQL of each table lives in the partial file named for it. On the writer's
/// connection, statements run prepared from its <see cref="StatementCache"/>, and rows it remembers in its
/// <see cref="WriterMemo"/> and <see cref="WriterUnits"/> are not read again, and units' deltas are those the writer
/// holds; elsewhere (reads on pooled connections) through Dapper, with units' deltas as their rows hold them.
/// </summary>
internal sealed partial class SqliteSession(
    SqliteConnection connection, SqliteTransaction transaction, StatementCache? statements = null, WriterMemo? memo = null,
    WriterUnits? units = null)
    : DapperSession(connection, transaction), IStoreSession
{
    /// <inheritdoc />
    protected override string InIds(string column) => $"{column} IN (SELECT value FROM json_each(@ids))";

    /// <inheritdoc />
    protected override string TextOfUtf8(string parameter) => $"CAST({parameter} AS TEXT)"; // the file's encoding is UTF-8

    // One JSON array in one text parameter: SQLite finds a bound name by a linear scan, so a list bound as thousands
    // of named parameters cost O(n²) string compares (a third of the CPU of a 1,000-unit charge), and it prepares once.
    /// <inheritdoc />
    protected override object IdList<T>(IReadOnlyCollection<T> ids) => JsonSerializer.Serialize(ids);

    /// <inheritdoc />
    protected override T? Single<T>(string sql, object? parameters = null) where T : default =>
        statements is not null && StatementCache.CanBind(parameters) ? statements.Single<T>(transaction, sql, parameters) : base.Single<T>(sql, parameters);

    /// <inheritdoc />
    protected override List<T> Query<T>(string sql, object? parameters = null) =>
        statements is not null && StatementCache.CanBind(parameters) ? statements.Query<T>(transaction, sql, parameters) : base.Query<T>(sql, parameters);

    /// <inheritdoc />
    protected override int Execute(string sql, object? parameters = null) =>
        statements is not null && StatementCache.CanBind(parameters) ? statements.Execute(transaction, sql, parameters) : base.Execute(sql, parameters);
}
