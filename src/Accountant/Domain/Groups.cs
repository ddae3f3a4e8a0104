using Accounting.Accountant.Storage;

namespace Accounting.Accountant.Domain;

/// <summary>Where units go when their state changes; groups are found by content, so equal states share one.</summary>
public static class Groups
{
    /// <summary>The group of fresh units under a budget: no cohorts, no exclusions, nothing spent.</summary>
    public static long Fresh(IStoreSession session, Budget budget)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(budget);
        return session.FindOrAddGroup(budget.Id, [], [], new double[budget.Width]);
    }

    /// <summary>The group of <paramref name="group"/>'s members once they join a cohort, with their task history.</summary>
    public static long AfterJoining(IStoreSession session, GroupRow group, string cohortId)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(group);
        string[] cohorts = [.. group.Cohorts.Append(cohortId).Distinct().Order(StringComparer.Ordinal)];
        var target = session.FindOrAddGroup(group.BudgetId, cohorts, group.Excluded, group.Base);
        session.CopyGroupTasks(group.Id, target);
        return target;
    }

    /// <summary>The group of a unit moved to another budget, keeping its cohorts, exclusions and spend.</summary>
    public static long WithBudget(IStoreSession session, GroupRow group, long budgetId, double[] spent)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(group);
        var target = session.FindOrAddGroup(budgetId, group.Cohorts, group.Excluded, spent);
        session.CopyGroupTasks(group.Id, target);
        return target;
    }

    /// <summary>A new group with the same state as <paramref name="group"/>, to split some members off.</summary>
    public static GroupRow SplitOff(IStoreSession session, GroupRow group)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(group);
        var id = session.AddGroup(group.BudgetId, group.Cohorts, group.Excluded, group.Base);
        session.CopyGroupTasks(group.Id, id);
        return group with { Id = id, Members = 0 };
    }
}
