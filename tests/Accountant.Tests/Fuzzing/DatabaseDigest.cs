using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.TestSupport;

namespace Accounting.Accountant.Tests.Fuzzing;

/// <summary>A hash of every row of every table of a running service's database, read beside it.</summary>
public static class DatabaseDigest
{
    /// <summary>The digest of the service's database.</summary>
    public static string Of(ServiceProcess service)
    {
        ArgumentNullException.ThrowIfNull(service);
        using var connection = ServiceDatabase.Open(service);
        var tables = Rows(connection, service.PostgresConnectionString is null
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var table in tables.Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(table));
            // Sorted here: some tables have no rowid, and neither database promises an order without ORDER BY.
            foreach (var row in Rows(connection, $"SELECT * FROM \"{table}\"").Order(StringComparer.Ordinal))
            {
                hash.AppendData(Encoding.UTF8.GetBytes(row));
                hash.AppendData("\n"u8);
            }
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    // Each row as text: its values joined, blobs in hex.
    private static List<string> Rows(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i) switch
            {
                byte[] bytes => Convert.ToHexString(bytes),
                var value => Convert.ToString(value, CultureInfo.InvariantCulture),
            })));
        }
        return rows;
    }
}
