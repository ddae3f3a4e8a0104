using Accounting.Accountant.Storage.Shared;
using Npgsql;

namespace Accounting.Accountant.Storage.Postgres;

/// <summary>
/// One transaction on the PostgreSQL database. The SQL of each table lives in the partial file named for it; lists
/// of ids are bound as one array parameter (<c>= ANY(@ids)</c>, <c>unnest(@ids)</c>). Writes run concurrently under
/// READ COMMITTED and take row locks (<see cref="IStoreSession.LockTask"/> and the others) before reading what they
/// change.
/// </summary>
internal sealed partial class PostgresSession(NpgsqlConnection connection, NpgsqlTransaction transaction)
    : DapperSession(connection, transaction), IStoreSession
{
    /// <inheritdoc />
    protected override string ForUpdate(string? alias = null) => alias is null ? " FOR UPDATE" : $" FOR UPDATE OF {alias}";

    /// <inheritdoc />
    protected override string ForShare => " FOR SHARE";

    /// <inheritdoc />
    protected override string InIds(string column) => $"{column} = ANY(@ids)";

    /// <inheritdoc />
    protected override string TextOfUtf8(string parameter) => $"convert_from({parameter}, 'UTF8')";

    /// <inheritdoc />
    protected override object IdList<T>(IReadOnlyCollection<T> ids) => ids.ToArray(); // Npgsql binds an array as one parameter
}
