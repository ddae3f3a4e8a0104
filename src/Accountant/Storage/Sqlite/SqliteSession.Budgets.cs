namespace Accounting.Accountant.Storage.Sqlite;

internal sealed partial class SqliteSession
{
    /// <inheritdoc />
    public override BudgetRow? GetBudget(long id)
    {
        if (memo?.Budget(id) is { } remembered)
        {
            return remembered;
        }
        var budget = base.GetBudget(id);
        if (budget is not null)
        {
            memo?.Remember(budget);
        }
        return budget;
    }

    /// <inheritdoc />
    public override void UpdateBudget(BudgetRow budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        base.UpdateBudget(budget);
        memo?.ForgetBudget(budget.Id); // read again, as stored, by the next write that needs it
    }
}
