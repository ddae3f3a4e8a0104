using Accounting.Accountant.Storage.Migrations;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Accounting.Accountant.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode, created and migrated on start. Writes are serialised in-process
/// and group-committed (<see cref="GroupCommit"/>): BEGIN IMMEDIATE transactions (so a second process on the same
/// file waits too) holding one savepoint per write; reads run in parallel on their own snapshot.
/// </summary>
public sealed class SqliteStore : IAccountingStore, IDisposable
{
    private readonly string _connectionString;
    private readonly string _synchronous;
    private readonly GroupCommit _writes;

    /// <summary>Opens (creating and migrating if needed) the file named in the options.</summary>
    public SqliteStore(IOptions<AccountantOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value.Sqlite;
        var directory = Path.GetDirectoryName(Path.GetFullPath(settings.Path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = settings.Path,
            Pooling = true,
            DefaultTimeout = 30,
            ForeignKeys = true,
        }.ToString();
        _synchronous = settings.Synchronous;
        Migrate();
        _writes = new GroupCommit(OpenForWriting);
    }

    /// <inheritdoc />
    public Task<T> WriteAsync<T>(Func<IStoreSession, T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();
        return _writes.Enqueue(work, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Each write already runs alone (BEGIN IMMEDIATE), which is all that start-up needs on one file.</remarks>
    public Task ExclusiveAsync(Func<Task> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return work();
    }

    /// <inheritdoc />
    public Task<T> ReadAsync<T>(Func<IStoreSession, T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: true);
        var session = new SqliteSession(connection, transaction);
        return Task.FromResult(work(session));
    }

    /// <inheritdoc />
    public void Dispose() => _writes.Dispose();

    // Reads need no per-connection settings beyond the connection string's (SQLite's busy retries are the command timeout's).
    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    // journal_mode=WAL is persistent in the file and set once in Migrate. The one writer keeps its connection: a page
    // cache of 64 MiB keeps the hot rows (tasks, groups, index roots) from being re-read from the file, and each
    // write's savepoint keeps its sub-journal in memory instead of a temporary file (it never outlives the transaction).
    private SqliteConnection OpenForWriting()
    {
        var connection = Open();
        connection.Execute($"PRAGMA synchronous = {_synchronous}; PRAGMA busy_timeout = 30000; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;");
        return connection;
    }

    private void Migrate()
    {
        using var connection = OpenForWriting();
        connection.Execute("PRAGMA journal_mode = WAL;");
        connection.Execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
        // Every script not yet applied, not only those above the highest: scripts written on parallel branches may
        // land in either order.
        var applied = connection.Query<int>("SELECT version FROM schema_migrations").ToHashSet();
        foreach (var (version, sql) in MigrationScripts.For("Sqlite").Where(s => !applied.Contains(s.Version)))
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            connection.Execute(sql, transaction: transaction);
            connection.Execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @at)",
                new { version, at = DateTimeOffset.UtcNow.ToString("O") }, transaction);
            transaction.Commit();
        }
    }
}
