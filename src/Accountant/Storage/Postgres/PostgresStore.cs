using System.Data;
using Accounting.Accountant.Storage.Migrations;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Accounting.Accountant.Storage.Postgres;

/// <summary>
/// The store several replicas share: a PostgreSQL database, migrated on start. Each write is one READ COMMITTED
/// transaction that locks the rows it will change before reading them (the session's Lock methods: a task, its
/// cohort, the unit groups it charges, their budgets), so writes on different units never wait for each other and
/// writes on the same units run one after the other, each seeing the last. A run is repeated from the start when
/// PostgreSQL picks it as a deadlock victim (40P01), when it lost a race to insert the same key (23505: the repeat finds
/// the row and answers as for an existing one), or when it met a concurrent write it cannot build on
/// (<see cref="StoreConflictException"/>); nothing of a failed run is committed, and the domain's caches hold only
/// values keyed by what they were computed from. Ledger entries are staged and chained after the commit, before the
/// write is acknowledged (<see cref="PostgresSession.SealStaged"/>). Reads run on a REPEATABLE READ snapshot.
/// </summary>
public sealed class PostgresStore : IAccountingStore, IDisposable
{
    // The advisory lock of migrations and start-up; its key is "acctboot" in ASCII.
    private const string Lock = "SELECT pg_advisory_lock(7017561995892191092)";
    private const string Unlock = "SELECT pg_advisory_unlock(7017561995892191092)";
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(50);

    // Staged entries chained per sealing transaction.
    private const int SealBatch = 1000;

    // A key that keeps colliding is not a race but a fault: its error is raised after this many runs.
    private const int MaxRuns = 20;

    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _writers;
    private readonly LedgerSealer _sealer;

    /// <summary>Connects to the database named in the options and migrates it.</summary>
    public PostgresStore(IOptions<AccountantOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value.Postgres;
        var connection = new NpgsqlConnectionStringBuilder(settings.ConnectionString
            ?? throw new InvalidOperationException("Accountant:Postgres:ConnectionString is not set"));
        // The same few statements run for every charge: prepared on each pooled connection after their second use, the
        // server stops parsing and planning them every time (unless the connection string says otherwise).
        if (connection.MaxAutoPrepare == 0)
        {
            connection.MaxAutoPrepare = 64;
        }
        _dataSource = NpgsqlDataSource.Create(connection);
        _writers = new SemaphoreSlim(settings.MaxConcurrentWrites, settings.MaxConcurrentWrites);
        using var migrating = _dataSource.OpenConnection();
        Locked(migrating, () => Migrate(migrating));
        Seal(); // what a writer that died between its commit and its seal left staged
        _sealer = new LedgerSealer(Seal);
    }

    /// <inheritdoc />
    public async Task<T> WriteAsync<T>(Func<IStoreSession, T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var (result, staged) = await RunAsync(work, cancellationToken).ConfigureAwait(false);
        if (staged)
        {
            await _sealer.SealedAsync().WaitAsync(cancellationToken).ConfigureAwait(false); // in the chain before the caller hears of it
        }
        return result;
    }

    private async Task<(T Result, bool Staged)> RunAsync<T>(Func<IStoreSession, T> work, CancellationToken cancellationToken)
    {
        await _writers.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    // Once a run starts it goes to commit or rollback; cancellation is heeded between runs only.
                    using var connection = _dataSource.OpenConnection();
                    using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
                    var session = new PostgresSession(connection, transaction);
                    var result = work(session);
                    transaction.Commit();
                    return (result, session.Staged);
                }
                catch (Exception e) when (attempt < MaxRuns && e is StoreConflictException
                    or PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.UniqueViolation })
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
    /// <remarks>Every write here writes units' deltas to their rows: a snapshot has them.</remarks>
    public Task<T> ReadCurrentAsync<T>(Func<IStoreSession, T> work, CancellationToken cancellationToken = default) =>
        ReadAsync(work, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        _sealer.Dispose();
        _writers.Dispose();
        _dataSource.Dispose();
    }

    // Chains every committed staged entry, a batch per short transaction.
    private void Seal()
    {
        using var connection = _dataSource.OpenConnection();
        int count;
        do
        {
            using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
            count = new PostgresSession(connection, transaction).SealStaged(SealBatch);
            transaction.Commit();
        }
        while (count == SealBatch);
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
