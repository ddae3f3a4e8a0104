using System.Runtime.ExceptionServices;
using Accounting.Accountant.Storage.Migrations;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Accounting.Accountant.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode, created and migrated on start. Writes are serialised in-process
/// and group-committed (<see cref="GroupCommit"/>): BEGIN IMMEDIATE transactions (so a second process on the same
/// file waits too) holding one savepoint per write; with synchronous FULL (the default) their WAL is synced off the
/// writer's thread before they are answered (<see cref="WalSync"/>). Checkpoints run on their own thread
/// (<see cref="Checkpointer"/>); reads run in parallel on their own snapshot. Units' deltas changed by charges reach
/// their rows later (<see cref="WriterUnits"/>), so a unit's spend is read on the writer (<see cref="ReadCurrentAsync"/>).
/// </summary>
public sealed class SqliteStore : IAccountingStore, IDisposable
{
    private readonly string _connectionString;
    private readonly WalSync? _sync;
    private readonly GroupCommit _writes;
    private readonly Checkpointer _checkpoints;

    // Before SQLite initialises: no memory statistics (nothing here reads them), which otherwise take a global mutex on
    // every allocation SQLite makes. Refused, harmlessly, if another component of the process initialised SQLite first.
    static SqliteStore()
    {
        SQLitePCL.Batteries_V2.Init();
        _ = SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MEMSTATUS, 0);
    }

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
        Migrate();
        ReplayDeltaLog();
        // NORMAL writes the WAL without syncing it at commit; FULL and EXTRA ask that an acknowledged write survive
        // power loss, which the WAL sync before each answer gives.
        _sync = settings.Synchronous == "NORMAL" ? null : new WalSync(Path.GetFullPath(settings.Path));
        _checkpoints = new Checkpointer(OpenSynced);
        _writes = new GroupCommit(OpenForWriting, _sync, _checkpoints, TimeSpan.FromMilliseconds(settings.DeltaFlushMilliseconds));
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
    /// <remarks>
    /// On the writer, as a write that changes nothing: only there are the deltas of its <see cref="WriterUnits"/> seen
    /// together with the rows the same charges changed (a snapshot would see a group's new spend without its units'
    /// new deltas). Its exception (a 404, say) is thrown here, not in the writer, where it would roll back a savepoint
    /// and make the writer forget the rows it remembers.
    /// </remarks>
    public async Task<T> ReadCurrentAsync<T>(Func<IStoreSession, T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var (result, failure) = await WriteAsync(session =>
        {
            try
            {
                return (work(session), (ExceptionDispatchInfo?)null);
            }
            catch (Exception exception)
            {
                return (default(T), ExceptionDispatchInfo.Capture(exception));
            }
        }, cancellationToken).ConfigureAwait(false);
        failure?.Throw();
        return result!;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _writes.Dispose(); // commits what is queued, then hands it to the sync
        _sync?.Dispose();
        _checkpoints.Dispose();
    }

    // Reads need no per-connection settings beyond the connection string's (SQLite's busy retries are the command timeout's).
    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    // journal_mode=WAL is persistent in the file and set once in Migrate. The one writer keeps its connection: it
    // commits without syncing (WalSync syncs before answers), leaves checkpoints to the Checkpointer, and keeps each
    // write's savepoint journal in memory instead of a temporary file (it never outlives the transaction). When it
    // starts the WAL afresh it cuts the file back to 128 MiB, twice the restart threshold, so that the frames written
    // while a restart waits reuse the file's blocks: cut back to 64 MiB, the file grew again after every restart, and
    // the kernel's allocating and zeroing of those blocks took a twentieth of the per-unit writer's time. Its page
    // cache of 16 MiB keeps the hot rows (tasks, groups, index roots) without re-reading them; a larger one costs more
    // than it saves, because a commit after a b-tree balance walks the cache's whole hash table (SQLite parks a page
    // past the 1 GiB lock page while it reorders pages).
    private SqliteConnection OpenForWriting() => Open(
        "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 134217728; PRAGMA busy_timeout = 30000; "
        + "PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY;");

    // Migrations commit synced; a checkpoint syncs the WAL before copying it and the database file after.
    private SqliteConnection OpenSynced() => Open("PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000; PRAGMA journal_size_limit = 134217728;");

    private SqliteConnection Open(string pragmas)
    {
        var connection = Open();
        connection.Execute(pragmas);
        return connection;
    }

    // Deltas a service had committed to the log but not yet to the units' rows when it stopped.
    private void ReplayDeltaLog()
    {
        using var connection = OpenSynced();
        using var transaction = connection.BeginTransaction(deferred: false);
        if (new SqliteSession(connection, transaction).ReplayDeltaLog() > 0)
        {
            transaction.Commit();
        }
    }

    private void Migrate()
    {
        using var connection = OpenSynced();
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
