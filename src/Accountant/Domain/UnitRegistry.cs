using Accounting.Accountant.Contracts;
using Accounting.Accountant.Storage;

namespace Accounting.Accountant.Domain;

/// <summary>Registering units, reading what they have spent, and giving them their own budgets.</summary>
public sealed class UnitRegistry(IAccountingStore store, BudgetBook budgets, Ledger ledger)
{
    /// <summary>Most ids accepted in one request.</summary>
    public const int MaxBatch = 1_000_000;

    /// <summary>Registers units under their kind's default budget; existing ones are left as they are.</summary>
    public Task<RegisterUnitsResponse> RegisterAsync(RegisterUnitsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ids = Ids.RequireAll(request.Units, "units", MaxBatch);
        return store.WriteAsync(session =>
        {
            var added = session.AddUnits(ids, Groups.Fresh(session, budgets.DefaultLocked(session, request.UnitKind)));
            ledger.Append(session, LedgerKinds.UnitsRegistered, null, new { units = ids, unitKind = request.UnitKind, added });
            return new RegisterUnitsResponse(added, ids.Count - added);
        }, cancellationToken);
    }

    /// <summary>A unit's budget, spend and history.</summary>
    public Task<UnitResponse> GetAsync(string id, CancellationToken cancellationToken) =>
        store.ReadCurrentAsync(session =>
        {
            var unit = session.GetUnit(id) ?? throw ProblemException.NotFound("unit", id);
            var group = session.GetGroup(unit.GroupId);
            var budget = budgets.Get(session, group.BudgetId);
            var spent = unit.Delta is null ? group.Base : Curves.Plus(group.Base, unit.Delta);
            var tasks = session.GetGroupTasks(group.Id).Select(t => new UnitTaskDto(t.TaskId, t.FirstStep, t.LastStep, t.ExcludedStep));
            return new UnitResponse(
                unit.Id, BudgetBook.ToDto(budget),
                budget.IsZcdp ? new CurveDto("zcdp", [], [spent[0]]) : CurveDto.From(budget.Grid, spent),
                budget.EpsilonSpent(spent), budget.IsZcdp ? spent[0] : null, budget.Remaining(spent),
                group.Cohorts, [.. tasks]);
        }, cancellationToken);

    /// <summary>
    /// Gives a registered unit its own budget. Its relation and unit kind stay those of its current budget;
    /// the grid and the kind (ε/δ or ρ) may change only while it has spent nothing, since a spent curve cannot move grids.
    /// </summary>
    public async Task<UnitResponse> SetBudgetAsync(string id, UnitBudgetRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Ids.Require(id, "id");
        await store.WriteAsync(session =>
        {
            var (unit, group) = Locked(session, id);
            var current = budgets.Locked(session, group.BudgetId);
            var row = BudgetBook.Validate(
                new BudgetDto(request.Epsilon, request.Delta, request.Rho, request.Grid ?? current.Grid.Key, current.Relation, current.UnitKind), "");
            var spent = unit.Delta is null ? group.Base : Curves.Plus(group.Base, unit.Delta);
            var reshaped = row.Grid != current.Grid.Key || (row.Rho is null) == current.IsZcdp;
            if (reshaped && spent.Any(v => v != 0))
            {
                throw ProblemException.ForField(ProblemKind.Conflict, row.Rho is null ? "grid" : "rho",
                    "the unit has spent under its current grid and kind; a new budget may change only ε, δ or ρ");
            }
            var budgetId = session.FindOrAddBudget(row);
            var budget = budgets.Locked(session, budgetId);
            // The unit's own delta travels with it; a reshaped (unspent) unit starts from zero on the new grid.
            var target = Groups.WithBudget(session, group, budgetId, reshaped ? new double[budget.Width] : group.Base);
            session.MoveUnits([id], group.Id, target);
            if (reshaped)
            {
                session.SetDeltas([new DeltaChange(id, unit.Delta, null)]);
            }
            session.PruneEmptyGroups();
            ledger.Append(session, LedgerKinds.UnitBudgetSet, null, new { unit = id, budgetId, budget = BudgetBook.ToDto(budget) });
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        return await GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    // The unit with its group, locked: the group's spent curve, from which the unit's is read, stays as read until
    // commit. A unit that moved to another group meanwhile is looked up again.
    private static (UnitRow Unit, GroupRow Group) Locked(IStoreSession session, string id)
    {
        while (true)
        {
            // An unknown unit is a 404, not an example made up on the spot: its kind decides which cohorts it may join.
            var unit = session.GetUnit(id) ?? throw ProblemException.NotFound("unit", id);
            if (session.LockGroups([unit.GroupId]) is [var group] && session.GetUnit(id) is { } again && again.GroupId == group.Id)
            {
                return (again, group);
            }
        }
    }
}
