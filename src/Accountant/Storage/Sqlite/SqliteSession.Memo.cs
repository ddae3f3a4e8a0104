namespace Accounting.Accountant.Storage.Sqlite;

// The rows the writer's WriterMemo keeps: read from it when it has them, and noted in it when written. On other
// connections there is no memo, and these are the plain reads and writes.
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
        Recall(id, static (memo, id) => memo.Unit(id), static (session, id) => session.ReadUnit(id), static (memo, unit) => memo.Remember(unit));

    /// <inheritdoc />
    /// <remarks>The units remembered first, then those read.</remarks>
    public override IReadOnlyList<UnitRow> GetUnits(IReadOnlyCollection<string> ids)
    {
        if (memo is null)
        {
            return journal is null ? base.GetUnits(ids) : [.. base.GetUnits(ids).Select(WithJournal)];
        }
        var units = new List<UnitRow>(ids.Count);
        var unknown = new List<string>();
        foreach (var id in ids)
        {
            if (memo.Unit(id) is { } unit)
            {
                units.Add(unit);
            }
            else
            {
                unknown.Add(id);
            }
        }
        if (unknown.Count > 0)
        {
            foreach (var read in base.GetUnits(unknown))
            {
                var unit = WithJournal(read);
                memo.Remember(unit);
                units.Add(unit);
            }
        }
        return units;
    }

    /// <inheritdoc />
    public override void MoveUnits(IReadOnlyCollection<string> ids, long fromGroupId, long toGroupId)
    {
        base.MoveUnits(ids, fromGroupId, toGroupId);
        memo?.ForgetUnits(ids);
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> AddCohortMembers(
        string cohortId, IReadOnlyList<string> ids, long newUnitGroupId, Func<GroupRow, long> groupAfterJoining)
    {
        var added = base.AddCohortMembers(cohortId, ids, newUnitGroupId, groupAfterJoining);
        memo?.ForgetUnits(); // units that were already members elsewhere moved to the groups that add this cohort
        return added;
    }

    private TaskRow? ReadTask(string id) => base.GetTask(id);

    private UnitRow? ReadUnit(string id) => base.GetUnit(id) is { } unit ? WithJournal(unit) : null;

    /// <inheritdoc />
    /// <remarks>The journal's deltas are written to the rows first: the group's members are found by their rows.</remarks>
    public override IReadOnlyList<UnitRow> UnitsWithDelta(long groupId)
    {
        FlushDeltas();
        return base.UnitsWithDelta(groupId);
    }

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
