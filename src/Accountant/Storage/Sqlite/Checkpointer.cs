using Dapper;
using Microsoft.Data.Sqlite;

namespace Accounting.Accountant.Storage.Sqlite;

/// <summary>
/// Copies the WAL back into the database file on its own thread and connection, so that the writer never does it in
/// the middle of a commit (SQLite's automatic checkpoint runs inside the commit that crosses its threshold, syncing
/// both files while every caller waits). PASSIVE checkpoints never block the writer; a page changed by many commits
/// in between is copied once. But SQLite starts the WAL afresh only when a write transaction begins with the WAL wholly
/// copied, which never happens to a writer that goes from one commit straight to the next, so the WAL would grow
/// without end: past <see cref="RestartFrames"/>, passes follow each other until one finds only a few new frames, and
/// then the writer is asked (<see cref="RestartRequests"/>) to copy, at its next pause between groups, the few frames
/// written since, after which its next write starts the WAL from the top.
/// </summary>
internal sealed class Checkpointer : IDisposable
{
    /// <summary>WAL frames (pages) past which the WAL is to be started afresh: 64 MiB of 4 KiB pages.</summary>
    public const int RestartFrames = 16_384;

    // New frames since the last pass below which the writer is asked to copy the rest itself.
    private const int FewFrames = 256;
    private const int MaxCatchUpPasses = 32;

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
                var frames = Checkpoint(connection);
                // Past the threshold, catch up first: pass after pass, each copying what came in during the one before,
                // until a pass finds few new frames. The writer then copies only those few at its pause (2–5 ms at
                // 1,000 charges/s, mostly its two syncs); asked at once, it copied 200 ms and more of frames there
                // (5–22 ms) while the charges behind it waited. A writer that outpaces the passes is asked anyway, so
                // the WAL stays bounded.
                for (var pass = 0; frames > RestartFrames && pass < MaxCatchUpPasses && !_stop.IsSet; pass++)
                {
                    var before = frames;
                    frames = Checkpoint(connection);
                    if (frames - before <= FewFrames)
                    {
                        break;
                    }
                }
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

    // A PASSIVE pass; returns the frames the WAL held when it began (its answer is busy, WAL frames, frames copied).
    private static long Checkpoint(SqliteConnection connection) =>
        connection.QuerySingle<(long Busy, long Frames, long Copied)>("PRAGMA wal_checkpoint(PASSIVE)").Frames;
}
