using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Accounting.Accountant.Tests.Fuzzing;

/// <summary>A hash of every row of every table, read beside the running service (WAL lets a reader in).</summary>
public static class DatabaseDigest
{
    /// <summary>The digest of the database at <paramref name="path"/>.</summary>
    public static string Of(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }
        foreach (var table in tables)
        {
            using var columns = connection.CreateCommand();
            columns.CommandText = $"SELECT count(*) FROM pragma_table_info('{table}')";
            var count = Convert.ToInt32(columns.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            using var rows = connection.CreateCommand();
            // Ordered by every column: some tables have no rowid, and a plan may scan an index instead of the table.
            rows.CommandText = $"SELECT * FROM \"{table}\" ORDER BY {string.Join(", ", Enumerable.Range(1, count))}";
            using var reader = rows.ExecuteReader();
            hash.AppendData(Encoding.UTF8.GetBytes(table));
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    hash.AppendData(Encoding.UTF8.GetBytes($"|{Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)}"));
                }
                hash.AppendData("\n"u8);
            }
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
