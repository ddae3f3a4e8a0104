namespace Accounting.Accountant.Storage.Sqlite;

/// <summary>
/// Rows the writer's connection wrote or read and may use again without reading them: every charge reads its task,
/// the ledger's head and whether its cost curve is stored, and each of those reads was a statement on the writer's
/// thread. What is remembered is what the file holds once the open transaction commits, so it is forgotten whenever
/// that may not hold: when a write's savepoint rolls back, when a transaction fails, and when another connection has
/// committed to the file since (SQLite's <c>data_version</c> tells).
/// </summary>
internal sealed class WriterMemo
{
    // Bounds the memory held: past this many tasks (a few KB each), they are read again.
    private const int MaxTasks = 4096;

    private readonly Dictionary<string, TaskRow> _tasks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _shared = new(StringComparer.Ordinal);
    private long? _dataVersion;

    /// <summary>The last ledger entry's seq and hash, once known.</summary>
    public (long Seq, byte[] Hash)? Head { get; set; }

    /// <summary>The task as the file holds it, if remembered.</summary>
    public TaskRow? Task(string id) => _tasks.GetValueOrDefault(id);

    /// <summary>Remembers the task as written or read.</summary>
    public void Remember(TaskRow task)
    {
        if (_tasks.Count >= MaxTasks && !_tasks.ContainsKey(task.Id))
        {
            _tasks.Clear();
        }
        _tasks[task.Id] = task;
    }

    /// <summary>Whether the shared value is known to be stored.</summary>
    public bool IsShared(byte[] id) => _shared.Contains(Convert.ToHexString(id));

    /// <summary>Remembers that the shared value is stored.</summary>
    public void RememberShared(byte[] id) => _shared.Add(Convert.ToHexString(id));

    /// <summary>At the start of a transaction: forgets everything when another connection committed since the last.</summary>
    public void Check(long dataVersion)
    {
        if (_dataVersion != dataVersion)
        {
            Forget();
        }
        _dataVersion = dataVersion;
    }

    /// <summary>Forgets everything: the file may no longer hold what was remembered.</summary>
    public void Forget()
    {
        _tasks.Clear();
        _shared.Clear();
        Head = null;
    }
}
