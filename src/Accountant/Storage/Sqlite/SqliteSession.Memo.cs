namespace Accounting.Accountant.Storage.Sqlite;

// The rows the writer's WriterMemo and WriterUnits keep: read from them when they have them, and noted in them when
// written. On other connections there are neither, and these are the plain reads and writes.
internal sealed partial class SqliteSession
{
    /// <inheritdoc />
    public override TaskRow? GetTask(string id) =>
        Recall(id, static (memo, id) => memo.Task(id), static (session, id) => session.ReadTask(id), static (memo, task) => memo.Remember(task));

    /// <inheritdoc />
    public override void AddTask(TaskRow task) => Wrote(task, base.AddTask, static (memo, task) => memo.Remember(task));

    /// <inheritdoc />
    public override void UpdateTask(TaskRow task) => Wrote(task, base.UpdateTask, static (memo, task) => memo.Remember(task));

    /// <inheritdoc />
    public override BudgetRow? GetBudget(long id) =>
        Recall(id, static (memo, id) => memo.Budget(id), static (session, id) => session.ReadBudget(id), static (memo, budget) => memo.Remember(budget));

    /// <inheritdoc />
    /// <remarks>The edited budget is read again, as stored, by the next write that needs it.</remarks>
    public override void UpdateBudget(BudgetRow budget) => Wrote(budget, base.UpdateBudget, static (memo, budget) => memo.ForgetBudget(budget.Id));

    /// <inheritdoc />
    public override UnitRow? GetUnit(string id) =>
        units is null ? base.GetUnit(id) : units.Row(id) ?? (base.GetUnit(id) is { } read ? units.Remember(read) : null);

    /// <inheritdoc />
    /// <remarks>The units remembered first, then those read.</remarks>
    public override IReadOnlyList<UnitRow> GetUnits(IReadOnlyCollection<string> ids)
    {
        if (units is null)
        {
            return base.GetUnits(ids);
        }
        var found = new List<UnitRow>(ids.Count);
        var unknown = new List<string>();
        foreach (var id in ids)
        {
            if (units.Row(id) is { } unit)
            {
                found.Add(unit);
            }
            else
            {
                unknown.Add(id);
            }
        }
        if (unknown.Count > 0)
        {
            // Remembered in the order asked, under the ids as asked: the writer's entries and their ids then lie in
            // memory in the order later charges name them, not in the table's order of ids. A charge's pass over
            // 1,000 random GUIDs read them one cache miss after another (docs/performance.md).
            var read = base.GetUnits(unknown).ToDictionary(u => u.Id, StringComparer.Ordinal);
            foreach (var id in unknown)
            {
                if (read.TryGetValue(id, out var row))
                {
                    found.Add(units.Remember(row with { Id = id }));
                }
            }
        }
        return found;
    }

    /// <inheritdoc />
    public override void MoveUnits(IReadOnlyCollection<string> ids, long fromGroupId, long toGroupId)
    {
        base.MoveUnits(ids, fromGroupId, toGroupId);
        units?.ForgetRows(ids);
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> AddCohortMembers(
        string cohortId, IReadOnlyList<string> ids, long newUnitGroupId, Func<GroupRow, long> groupAfterJoining)
    {
        var added = base.AddCohortMembers(cohortId, ids, newUnitGroupId, groupAfterJoining);
        units?.ForgetRows(); // units that were already members elsewhere moved to the groups that add this cohort
        return added;
    }

    /// <inheritdoc />
    /// <remarks>The writer's deltas are written to the rows first: the group's members are found by their rows.</remarks>
    public override IReadOnlyList<UnitRow> UnitsWithDelta(long groupId)
    {
        FlushDeltas();
        return base.UnitsWithDelta(groupId);
    }

    private TaskRow? ReadTask(string id) => base.GetTask(id);

    private BudgetRow? ReadBudget(long id) => base.GetBudget(id);

    // The row the memo keeps, or else the row read (and then kept).
    private TRow? Recall<TKey, TRow>(
        TKey key, Func<WriterMemo, TKey, TRow?> remembered, Func<SqliteSession, TKey, TRow?> read, Action<WriterMemo, TRow> remember)
        where TRow : class
    {
        if (memo is not null && remembered(memo, key) is { } row)
        {
            return row;
        }
        row = read(this, key);
        if (memo is not null && row is not null)
        {
            remember(memo, row);
        }
        return row;
    }

    private void Wrote<TRow>(TRow row, Action<TRow> write, Action<WriterMemo, TRow> note)
    {
        ArgumentNullException.ThrowIfNull(row);
        write(row);
        if (memo is not null)
        {
            note(memo, row);
        }
    }
}
