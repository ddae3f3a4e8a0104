using System.Data.Common;
using Dapper;

namespace Accounting.Accountant.Storage.Shared;

/// <summary>
/// What the SQLite and PostgreSQL sessions share: one transaction, Dapper helpers, and the SQL both dialects accept
/// alike (in the partial files named for their tables). Each backend's session adds the statements its dialect
/// writes differently (bulk id lists, the ledger's head).
/// </summary>
internal abstract partial class DapperSession(DbConnection connection, DbTransaction transaction)
{
    /// <summary>The session's connection.</summary>
    protected DbConnection Connection => connection;

    /// <summary>The session's transaction.</summary>
    protected DbTransaction Transaction => transaction;

    /// <summary>The dialect's test that <paramref name="column"/> is one of the ids bound as <c>@ids</c> by <see cref="IdList{T}"/>.</summary>
    protected abstract string InIds(string column);

    /// <summary>A list of ids as the dialect binds it in one parameter for <see cref="InIds"/>.</summary>
    protected abstract object IdList<T>(IReadOnlyCollection<T> ids);

    /// <inheritdoc cref="IStoreSession.GetSetting"/>
    public string? GetSetting(string key) => Single<string>("SELECT value FROM settings WHERE key = @key", new { key });

    /// <inheritdoc cref="IStoreSession.SetSetting"/>
    public void SetSetting(string key, string value) =>
        Execute("INSERT INTO settings (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value", new { key, value });

    /// <summary>One row or none.</summary>
    protected virtual T? Single<T>(string sql, object? parameters = null) =>
        connection.QuerySingleOrDefault<T>(sql, parameters, transaction);

    /// <summary>Every row.</summary>
    protected virtual List<T> Query<T>(string sql, object? parameters = null) =>
        connection.Query<T>(sql, parameters, transaction).AsList();

    /// <summary>Runs a statement (once per row for a list of rows); the rows it changed.</summary>
    protected virtual int Execute(string sql, object? parameters = null) => connection.Execute(sql, parameters, transaction);
}
