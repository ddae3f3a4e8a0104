namespace Accounting.Accountant.Storage.Shared;

internal abstract partial class DapperSession
{
    /// <summary>
    /// The dialect's clause that locks the rows a SELECT reads until commit, for rows of the table aliased
    /// <paramref name="alias"/> (null: the only table); empty where writes run one at a time and need no locks.
    /// </summary>
    protected virtual string ForUpdate(string? alias = null) => "";

    /// <summary>As <see cref="ForUpdate"/>, but shared: other sharers go on, writers wait.</summary>
    protected virtual string ForShare => "";

    /// <summary>Whether this store's writes run concurrently and so take row locks.</summary>
    protected bool LocksRows => ForShare.Length > 0;

    /// <inheritdoc cref="IStoreSession.LockTask"/>
    public void LockTask(string id)
    {
        if (LocksRows)
        {
            Execute($"SELECT 1 FROM tasks WHERE id = @id{ForUpdate()}", new { id });
        }
    }

    /// <inheritdoc cref="IStoreSession.LockCohort"/>
    public void LockCohort(string id, bool exclusive)
    {
        if (LocksRows)
        {
            Execute($"SELECT 1 FROM cohorts WHERE id = @id{(exclusive ? ForUpdate() : ForShare)}", new { id });
        }
    }

    /// <inheritdoc cref="IStoreSession.LockBudget"/>
    public void LockBudget(long id, bool exclusive)
    {
        if (LocksRows)
        {
            Execute($"SELECT 1 FROM budgets WHERE id = @id{(exclusive ? ForUpdate() : ForShare)}", new { id });
        }
    }

    /// <inheritdoc cref="IStoreSession.LockGroups"/>
    public IReadOnlyList<GroupRow> LockGroups(IReadOnlyCollection<long> ids) =>
        ids.Count == 0
            ? []
            : [.. Query<StoredGroup>($"SELECT {GroupColumns} FROM unit_groups g WHERE {InIds("g.id")} ORDER BY g.id{ForUpdate()}", new { ids = IdList(ids) })
                .Select(g => g.ToRow())];
}
