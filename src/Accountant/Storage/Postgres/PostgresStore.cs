using System.Data;
using Accounting.Accountant.Storage.Migrations;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Accounting.Accountant.Storage.Postgres;

/// <summary>
/// The store several replicas share: a PostgreSQL database, migrated on start. Each write is one SERIALIZABLE
/// transaction, re-run from the start when PostgreSQL cannot serialize it (40001) or picks it as a deadlock victim
/// (40P01); nothing of a failed run is committed, and the domain's caches hold only values keyed by what they were
/// computed from. Reads run on a REPEATABLE READ snapshot.
/// </summary>
public sealed class PostgresStore : IAccountingStore, IDisposable
{
    // The advisory lock of migrations and start-up; its key is "acctboot" in ASCII.
    private const string Lock = "SELECT pg_advisory_lock(7017561995892191092)";
    private const string Unlock = "SELECT pg_advisory_unlock(7017561995892191092)";
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(50);

    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _writers;

    /// <summary>Connects to the database named in the options and migrates it.</summary>
    public PostgresStore(IOptions<AccountantOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value.Postgres;
        _dataSource = NpgsqlDataSource.Create(settings.ConnectionString
            ?? throw new InvalidOperationException("Accountant:Postgres:ConnectionString is not set"));
        _writers = new SemaphoreSlim(settings.MaxConcurrentWrites, settings.MaxConcurrentWrites);
        using var connection = _dataSource.OpenConnection();
        Locked(connection, () => Migrate(connection));
    }

    /// <inheritdoc />
    public async Task<T> WriteAsync<T>(Func<IStoreSession, T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _writers.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    // Once a run starts it goes to commit or rollback; cancellation is heeded between runs only.
                    using var connection = _dataSource.OpenConnection();
                    using var transaction = connection.BeginTransaction(IsolationLevel.Serializable);
                    var result = work(new PostgresSession(connection, transaction));
                    transaction.Commit();
                    return result;
                }
                catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected)
                {
                    // Jittered exponential backoff, so that the runs that collided do not collide again in step.
                    var ceiling = Math.Min(MaxBackoff.TotalMilliseconds, Math.Pow(2, Math.Min(attempt, 10)) / 4);
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _writers.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Under a session-level advisory lock: it is released when the work ends or, if the process dies, with its
    /// connection.
    /// </remarks>
    public async Task ExclusiveAsync(Func<Task> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(Lock).ConfigureAwait(false);
        try
        {
            await work().ConfigureAwait(false);
        }
        finally
        {
            await connection.ExecuteAsync(Unlock).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task<T> ReadAsync<T>(Func<IStoreSession, T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction(IsolationLevel.RepeatableRead);
        return Task.FromResult(work(new PostgresSession(connection, transaction)));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _writers.Dispose();
        _dataSource.Dispose();
    }

    private static void Locked(NpgsqlConnection connection, Action work)
    {
        connection.Execute(Lock);
        try
        {
            work();
        }
        finally
        {
            connection.Execute(Unlock);
        }
    }

    // Under the start-up lock, so that replicas starting together apply each script once.
    private static void Migrate(NpgsqlConnection connection)
    {
        connection.Execute("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at text NOT NULL)");
        // Every script not yet applied, not only those above the highest: scripts written on parallel branches may
        // land in either order.
        var applied = connection.Query<int>("SELECT version FROM schema_migrations").ToHashSet();
        foreach (var (version, sql) in MigrationScripts.For("Postgres").Where(s => !applied.Contains(s.Version)))
        {
            using var transaction = connection.BeginTransaction();
            connection.Execute(sql, transaction: transaction);
            connection.Execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @at)",
                new { version, at = StoredTime.Text(DateTimeOffset.UtcNow) }, transaction);
            transaction.Commit();
        }
    }
}
