using System.Collections.Concurrent;
using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Accounting.Accountant.Storage.Sqlite;

/// <summary>
/// Group commit: one writer thread takes every write waiting, runs each in its own SAVEPOINT of one BEGIN IMMEDIATE
/// transaction and commits once, so that one WAL sync covers them all. A write that throws rolls back only its
/// savepoint and gets its exception; the others go on. Callers get their results only after the commit returns and,
/// with a <see cref="WalSync"/>, once the WAL is synced, so an acknowledged write is exactly as durable as with one
/// transaction each; if the commit fails, every write of the group gets the error. Writes still run one at a time, in
/// arrival order, each seeing those before it.
/// </summary>
internal sealed class GroupCommit : IDisposable
{
    // Bounds how long the first write of a group waits for the last one's work before its commit.
    private const int MaxGroup = 256;
    // Prepared once, from the writer's statement cache: SqliteTransaction.Save and Release prepare their statement
    // anew on every call, twice per write.
    private const string Save = "SAVEPOINT write", RollBack = "ROLLBACK TO write", Release = "RELEASE write";
    // The writer's deltas are written to the units' rows when it holds this many, or when its oldest change is older
    // than the flush age at the start of a group: each unit once per flush instead of once per charge.
    private const int FlushUnits = 100_000;

    private readonly Func<SqliteConnection> _open;
    private readonly WalSync? _sync;
    private readonly Checkpointer _checkpoints;
    private readonly TimeSpan _flushAge;
    private readonly BlockingCollection<PendingWrite> _queue = [];
    private readonly Thread _writer;
    private SqliteConnection? _connection;
    private StatementCache? _statements;
    private WriterMemo? _memo;
    // Kept when the connection starts afresh: its deltas were committed.
    private readonly WriterUnits _units = new();
    private int _generation;
    private int _restartRequests;

    /// <summary>
    /// Writes on connections from <paramref name="open"/>, answered after <paramref name="sync"/> (or at once after the
    /// commit), with the WAL started afresh when <paramref name="checkpoints"/> asks and units' deltas written to their
    /// rows once the oldest is <paramref name="flushAge"/> old.
    /// </summary>
    public GroupCommit(Func<SqliteConnection> open, WalSync? sync, Checkpointer checkpoints, TimeSpan flushAge)
    {
        _open = open;
        _flushAge = flushAge;
        _sync = sync;
        _checkpoints = checkpoints;
        _writer = new Thread(Run) { IsBackground = true, Name = "sqlite-group-commit" };
        _writer.Start();
    }

    public Task<T> Enqueue<T>(Func<IStoreSession, T> work, CancellationToken cancellationToken)
    {
        var write = new PendingWrite<T>(work, cancellationToken);
        _queue.Add(write, CancellationToken.None);
        return write.Task;
    }

    /// <summary>Writes already queued are committed, and the writer's deltas written to the rows, before the writer stops.</summary>
    public void Dispose()
    {
        if (!_queue.IsAddingCompleted)
        {
            _ = Enqueue(session => { ((SqliteSession)session).FlushDeltas(); return 0; }, CancellationToken.None);
        }
        _queue.CompleteAdding();
        _writer.Join();
        _queue.Dispose();
        Close();
    }

    private void Run()
    {
        var group = new List<PendingWrite>(MaxGroup);
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            group.Add(first);
            while (group.Count < MaxGroup && _queue.TryTake(out var next))
            {
                group.Add(next);
            }
            Commit(group);
            group.Clear();
            CopyRestOfWal();
        }
    }

    private void Commit(List<PendingWrite> group)
    {
        var done = new List<PendingWrite>(group.Count);
        try
        {
            if (_connection is null)
            {
                _connection = _open();
                _statements = new StatementCache(_connection);
                _memo = new WriterMemo(_units);
                _generation++;
            }
            using var transaction = _connection.BeginTransaction(deferred: false);
            // Read once the write lock is held: no other connection commits after it until this transaction ends.
            _memo!.Check(_statements!.Single<long>(transaction, "PRAGMA data_version", null));
            var session = new SqliteSession(_connection, transaction, _statements, _memo, _units);
            if (_units.Unflushed >= FlushUnits || (_units.Unflushed > 0 && Stopwatch.GetElapsedTime(_units.OldestUnflushed) >= _flushAge))
            {
                session.FlushDeltas();
            }
            // A write alone in its group needs no savepoint: rolling back the transaction undoes it. A savepoint copies
            // each page before the write first changes it.
            var alone = group.Count == 1;
            foreach (var write in group.Where(w => w.TryStart()))
            {
                if (!alone)
                {
                    _statements.Execute(transaction, Save, null);
                }
                _units.BeginWrite();
                try
                {
                    write.Run(session);
                }
                catch (Exception exception) when (alone)
                {
                    _memo.Forget();
                    _units.EndTransaction(committed: false);
                    transaction.Rollback();
                    write.Fail(exception);
                    return;
                }
                catch (Exception exception)
                {
                    // Throws in turn when SQLite dropped the whole transaction: then the group fails below.
                    _memo.Forget(); // what the write remembered is rolled back with it
                    _units.EndWrite(succeeded: false);
                    _statements.Execute(transaction, RollBack, null);
                    _statements.Execute(transaction, Release, null);
                    write.Fail(exception);
                    continue;
                }
                _units.EndWrite(succeeded: true);
                if (!alone)
                {
                    _statements.Execute(transaction, Release, null);
                }
                done.Add(write);
            }
            transaction.Commit();
            _units.EndTransaction(committed: true);
        }
        catch (Exception exception)
        {
            _units.EndTransaction(committed: false);
            // SQLite itself failed (I/O, a full disk, a broken transaction): nothing of the group is committed, and the
            // connection starts afresh for the next group.
            group.ForEach(w => w.Fail(exception));
            Close();
            return;
        }
        if (_sync is null)
        {
            done.ForEach(w => w.Succeed());
            return;
        }
        _sync.Acknowledge(done, _generation);
    }

    // Between groups, when the checkpointer asks: a PASSIVE checkpoint here copies what its last pass left, so that the
    // next transaction begins with the WAL wholly copied and SQLite writes the WAL from the top again (unless a reader
    // still holds old frames: then the next request tries again).
    private void CopyRestOfWal()
    {
        var requests = _checkpoints.RestartRequests;
        if (requests == _restartRequests || _connection is null)
        {
            return;
        }
        _restartRequests = requests;
        try
        {
            _connection.Execute("PRAGMA wal_checkpoint(PASSIVE)");
        }
        catch (SqliteException)
        {
            // busy or failing: the checkpointer asks again
        }
    }

    private void Close()
    {
        _statements?.Dispose();
        _statements = null;
        _memo = null;
        _connection?.Dispose();
        _connection = null;
    }
}
