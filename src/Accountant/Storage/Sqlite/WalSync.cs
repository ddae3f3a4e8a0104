using System.Collections.Concurrent;

namespace Accounting.Accountant.Storage.Sqlite;

/// <summary>
/// Makes committed groups durable off the writer's thread. The writer commits with synchronous = NORMAL, which writes
/// the WAL without syncing it, and hands the group here; this thread syncs the WAL file (fsync through its own handle
/// covers every write made to the file before the call) and only then gives the writes their answers. So an
/// acknowledged write survives power loss, as with synchronous = FULL, while the writer runs the next group during the
/// sync instead of waiting for it; one sync covers every group committed since the last.
/// </summary>
internal sealed class WalSync : IDisposable
{
    private readonly string _walPath;
    private readonly BlockingCollection<Committed> _committed = [];
    private readonly Thread _syncer;
    private FileStream? _wal;

    public WalSync(string databasePath)
    {
        _walPath = databasePath + "-wal";
        _syncer = new Thread(Run) { IsBackground = true, Name = "sqlite-wal-sync" };
        _syncer.Start();
    }

    /// <summary>
    /// Writes whose transaction has committed on the connection of generation <paramref name="connection"/>: they get
    /// their answers once the WAL is synced. A new connection may have a new WAL file, so a handle is opened per
    /// generation.
    /// </summary>
    public void Acknowledge(IReadOnlyList<PendingWrite> writes, int connection) => _committed.Add(new Committed(writes, connection));

    /// <summary>Groups handed over already are synced and answered before the syncer stops.</summary>
    public void Dispose()
    {
        _committed.CompleteAdding();
        _syncer.Join();
        _committed.Dispose();
        _wal?.Dispose();
    }

    private void Run()
    {
        var groups = new List<Committed>();
        var generation = -1;
        foreach (var first in _committed.GetConsumingEnumerable())
        {
            groups.Add(first);
            while (_committed.TryTake(out var next))
            {
                groups.Add(next);
            }
            try
            {
                foreach (var group in groups.DistinctBy(g => g.Connection))
                {
                    if (group.Connection != generation)
                    {
                        _wal?.Dispose();
                        _wal = new FileStream(_walPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
                        generation = group.Connection;
                    }
                    _wal!.Flush(flushToDisk: true); // fsync(2)
                }
                Answer(groups, w => w.Succeed());
            }
            catch (IOException exception)
            {
                // Committed, but not known to be durable: not acknowledged. A client's retry finds the charge and replays
                // its answer; the next sync opens the file afresh.
                Answer(groups, w => w.Fail(exception));
                _wal?.Dispose();
                _wal = null;
                generation = -1;
            }
            groups.Clear();
        }
    }

    private static void Answer(List<Committed> groups, Action<PendingWrite> answer)
    {
        foreach (var write in groups.SelectMany(g => g.Writes))
        {
            answer(write);
        }
    }

    private sealed record Committed(IReadOnlyList<PendingWrite> Writes, int Connection);
}
