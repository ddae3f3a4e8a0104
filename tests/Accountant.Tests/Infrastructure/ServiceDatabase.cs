using System.Data.Common;
using Accounting.TestSupport;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Accounting.Accountant.Tests.Infrastructure;

/// <summary>A connection to a running service's own database, beside it: its SQLite file (WAL lets a reader in) or its PostgreSQL database.</summary>
public static class ServiceDatabase
{
    /// <summary>An open connection; SQLite's is read-only.</summary>
    public static DbConnection Open(ServiceProcess service)
    {
        ArgumentNullException.ThrowIfNull(service);
        DbConnection connection = service.PostgresConnectionString is { } postgres
            ? new NpgsqlConnection(postgres)
            : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = service.DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
