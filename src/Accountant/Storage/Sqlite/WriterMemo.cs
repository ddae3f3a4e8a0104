namespace Accounting.Accountant.Storage.Sqlite;

/// <summary>
/// Rows the writer's connection wrote or read and may use again without reading them: every charge reads its task,
/// its budget, the ledger's head and whether its cost curve is stored, and a charge with sensitivities the units it
/// names (kept in <see cref="WriterUnits"/>); each of those reads was a statement on the writer's thread. What is
/// remembered is what the file holds once the open transaction commits, so it is forgotten whenever that may not hold:
/// when a write's savepoint rolls back, when a transaction fails, and when another connection has committed to the
/// file since (SQLite's <c>data_version</c> tells).
/// </summary>
internal sealed class WriterMemo(WriterUnits units)
{
    // A few KB each at most.
    private readonly Rows<string, TaskRow> _tasks = new(StringComparer.Ordinal, 4096);
    private readonly Rows<long, BudgetRow> _budgets = new(EqualityComparer<long>.Default, 4096);
    private readonly HashSet<string> _shared = new(StringComparer.Ordinal);
    private long? _dataVersion;

    /// <summary>The last ledger entry's seq and hash, once known.</summary>
    public (long Seq, byte[] Hash)? Head { get; set; }

    /// <summary>The task as the file holds it, if remembered.</summary>
    public TaskRow? Task(string id) => _tasks.Get(id);

    /// <summary>Remembers the task as written or read.</summary>
    public void Remember(TaskRow task) => _tasks.Set(task.Id, task);

    /// <summary>The budget as the file holds it, if remembered.</summary>
    public BudgetRow? Budget(long id) => _budgets.Get(id);

    /// <summary>Remembers the budget as read.</summary>
    public void Remember(BudgetRow budget) => _budgets.Set(budget.Id, budget);

    /// <summary>Forgets the budget (edited in place).</summary>
    public void ForgetBudget(long id) => _budgets.Remove(id);

    /// <summary>Whether the shared value is known to be stored.</summary>
    public bool IsShared(byte[] id) => _shared.Contains(Convert.ToHexString(id));

    /// <summary>Remembers that the shared value is stored.</summary>
    public void RememberShared(byte[] id) => _shared.Add(Convert.ToHexString(id));

    /// <summary>
    /// At the start of a transaction: forgets everything, the units' rows too, when another connection committed since
    /// the last.
    /// </summary>
    public void Check(long dataVersion)
    {
        if (_dataVersion != dataVersion)
        {
            Forget();
            units.ForgetRows();
            units.Names.Clear(); // the other connection may have emptied the log
        }
        _dataVersion = dataVersion;
    }

    /// <summary>
    /// Forgets everything but the units' rows: the file may no longer hold what was remembered. A write or transaction
    /// that rolls back has <see cref="WriterUnits"/> forget those itself.
    /// </summary>
    public void Forget()
    {
        _tasks.Clear();
        _budgets.Clear();
        _shared.Clear();
        Head = null;
    }

    // Rows by key, bounded: past maxRows they start afresh and are read again.
    private sealed class Rows<TKey, TRow>(IEqualityComparer<TKey> comparer, int maxRows) where TKey : notnull where TRow : class
    {
        private readonly Dictionary<TKey, TRow> _rows = new(comparer);

        public TRow? Get(TKey key) => _rows.GetValueOrDefault(key);

        public void Set(TKey key, TRow row)
        {
            if (_rows.Count >= maxRows && !_rows.ContainsKey(key))
            {
                _rows.Clear();
            }
            _rows[key] = row;
        }

        public void Remove(TKey key) => _rows.Remove(key);

        public void Clear() => _rows.Clear();
    }
}
