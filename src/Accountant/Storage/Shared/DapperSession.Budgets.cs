namespace Accounting.Accountant.Storage.Shared;

internal abstract partial class DapperSession
{
    private const string BudgetColumns =
        "id AS Id, epsilon AS Epsilon, delta AS Delta, rho AS Rho, grid AS Grid, relation AS Relation, unit_kind AS UnitKind";

    /// <inheritdoc />
    public virtual BudgetRow? GetBudget(long id) =>
        Single<StoredBudget>($"SELECT {BudgetColumns} FROM budgets WHERE id = @id", new { id })?.ToRow();

    /// <inheritdoc />
    public long FindOrAddBudget(BudgetRow budget)
    {
        var stored = StoredBudget.From(budget);
        // IS NOT DISTINCT FROM compares NULLs as equal, so an ε/δ budget never matches a ρ budget.
        var existing = Single<long?>(
            """
            SELECT id FROM budgets
            WHERE epsilon IS NOT DISTINCT FROM @Epsilon AND delta IS NOT DISTINCT FROM @Delta AND rho IS NOT DISTINCT FROM @Rho
              AND grid = @Grid AND relation = @Relation AND unit_kind = @UnitKind
            ORDER BY id LIMIT 1
            """, stored);
        return existing ?? Single<long>(
            """
            INSERT INTO budgets (kind, epsilon, delta, rho, grid, relation, unit_kind)
            VALUES (@Kind, @Epsilon, @Delta, @Rho, @Grid, @Relation, @UnitKind) RETURNING id
            """, stored);
    }

    /// <inheritdoc />
    public virtual void UpdateBudget(BudgetRow budget) =>
        Execute(
            """
            UPDATE budgets SET kind = @Kind, epsilon = @Epsilon, delta = @Delta, rho = @Rho, grid = @Grid,
                relation = @Relation, unit_kind = @UnitKind
            WHERE id = @Id
            """, StoredBudget.From(budget));
}
