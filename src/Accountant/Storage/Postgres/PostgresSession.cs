using Accounting.Accountant.Storage.Shared;
using Npgsql;

namespace Accounting.Accountant.Storage.Postgres;

/// <summary>
/// One transaction on the PostgreSQL database. The SQL of each table lives in the partial file named for it; lists
/// of ids are bound as one array parameter (<c>= ANY(@ids)</c>, <c>unnest(@ids)</c>).
/// </summary>
internal sealed partial class PostgresSession(NpgsqlConnection connection, NpgsqlTransaction transaction)
    : DapperSession(connection, transaction), IStoreSession;
