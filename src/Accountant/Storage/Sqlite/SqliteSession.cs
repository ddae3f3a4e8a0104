using Accounting.Accountant.Storage.Shared;
using Microsoft.Data.Sqlite;

namespace Accounting.Accountant.Storage.Sqlite;

/// <summary>
/// One transaction on the SQLite file. The SQL of each table lives in the partial file named for it.
/// </summary>
internal sealed partial class SqliteSession(SqliteConnection connection, SqliteTransaction transaction)
    : DapperSession(connection, transaction), IStoreSession, IDisposable
{
    // SQLite allows at most 32766 bound parameters per statement; lists are sent in chunks below that.
    private const int ParameterChunk = 10_000;

    // Statements run once per unit, prepared once per session (a group commit runs many writes in one session).
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }
        _prepared.Clear();
    }

    private SqliteCommand Prepare(string sql, params string[] parameterNames)
    {
        var command = (SqliteCommand)Connection.CreateCommand();
        command.Transaction = (SqliteTransaction)Transaction;
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        command.Prepare();
        return command;
    }

    private SqliteCommand Prepared(string sql, params string[] parameterNames)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            _prepared[sql] = command = Prepare(sql, parameterNames);
        }
        return command;
    }

    private static IEnumerable<IReadOnlyList<T>> Chunks<T>(IReadOnlyCollection<T> items) => items.Chunk(ParameterChunk);
}
