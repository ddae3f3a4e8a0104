using Dapper;
using Microsoft.Data.Sqlite;

namespace Accounting.Accountant.Storage.Sqlite;

/// <summary>
/// Copies the WAL back into the database file on its own thread and connection, so that the writer never does it in
/// the middle of a commit (SQLite's automatic checkpoint runs inside the commit that crosses its threshold, syncing
/// both files while every caller waits). PASSIVE checkpoints never block the writer; a page changed by many commits
/// in between is copied once. But SQLite starts the WAL afresh only when a write transaction begins with the WAL wholly
/// copied, which never happens to a writer that goes from one commit straight to the next, so the WAL would grow
/// without end: past <see cref="RestartFrames"/>, each pass asks the writer (<see cref="RestartRequests"/>) to copy, at
/// its next pause between groups, the few frames written since this pass, after which its next write starts the WAL
/// from the top.
/// </summary>
internal sealed class Checkpointer : IDisposable
{
    /// <summary>WAL frames (pages) past which the WAL is to be started afresh: 64 MiB of 4 KiB pages.</summary>
    public const int RestartFrames = 16_384;

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly Func<SqliteConnection> _open;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();
    private int _restartRequests;

    public Checkpointer(Func<SqliteConnection> open)
    {
        _open = open;
        _thread = new Thread(Run) { IsBackground = true, Name = "sqlite-checkpoint" };
        _thread.Start();
    }

    /// <summary>Counts the passes that found the WAL past <see cref="RestartFrames"/>; the writer acts on each new one.</summary>
    public int RestartRequests => Volatile.Read(ref _restartRequests);

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }

    private void Run()
    {
        SqliteConnection? connection = null;
        while (!_stop.Wait(Interval))
        {
            try
            {
                connection ??= _open();
                // (busy, frames in the WAL, frames copied)
                var (_, frames, _) = connection.QuerySingle<(long, long, long)>("PRAGMA wal_checkpoint(PASSIVE)");
                if (frames > RestartFrames)
                {
                    Interlocked.Increment(ref _restartRequests);
                }
            }
            catch (SqliteException)
            {
                // The next round tries again on a fresh connection; until then the WAL only grows.
                connection?.Dispose();
                connection = null;
            }
        }
        connection?.Dispose();
    }
}
