using System.Data.Common;
using Accounting.TestSupport;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Accounting.Accountant.Tests.Infrastructure;

/// <summary>A connection to a running service's own database, beside it: its SQLite file (WAL lets a reader in) or its PostgreSQL database.</summary>
public static class ServiceDatabase
{
    /// <summary>An open connection; SQLite's is read-only unless <paramref name="writable"/> (to put rows as an earlier version left them).</summary>
    public static DbConnection Open(ServiceProcess service, bool writable = false)
    {
        ArgumentNullException.ThrowIfNull(service);
        var mode = writable ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadOnly;
        DbConnection connection = service.PostgresConnectionString is { } postgres
            ? new NpgsqlConnection(postgres)
            : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = service.DatabasePath, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>
    /// The database's size as its engine counts it: SQLite's pages (those still in the WAL included, whatever the WAL
    /// file's own size), or PostgreSQL's database size.
    /// </summary>
    public static long Bytes(ServiceProcess service)
    {
        ArgumentNullException.ThrowIfNull(service);
        using var connection = Open(service);
        using var command = connection.CreateCommand();
        command.CommandText = service.PostgresConnectionString is null
            ? "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"
            : "SELECT pg_database_size(current_database())";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
