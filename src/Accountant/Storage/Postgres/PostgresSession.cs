using Dapper;
using Npgsql;

namespace Accounting.Accountant.Storage.Postgres;

/// <summary>
/// One transaction on the PostgreSQL database. The SQL of each table lives in the partial file named for it; lists
/// of ids are bound as one array parameter (<c>= ANY(@ids)</c>, <c>unnest(@ids)</c>).
/// </summary>
internal sealed partial class PostgresSession(NpgsqlConnection connection, NpgsqlTransaction transaction) : IStoreSession
{
    private T? Single<T>(string sql, object? parameters = null) =>
        connection.QuerySingleOrDefault<T>(sql, parameters, transaction);

    private List<T> Query<T>(string sql, object? parameters = null) =>
        connection.Query<T>(sql, parameters, transaction).AsList();

    private int Execute(string sql, object? parameters = null) => connection.Execute(sql, parameters, transaction);

    /// <inheritdoc />
    public string? GetSetting(string key) => Single<string>("SELECT value FROM settings WHERE key = @key", new { key });

    /// <inheritdoc />
    public void SetSetting(string key, string value) =>
        Execute("INSERT INTO settings (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value", new { key, value });
}
