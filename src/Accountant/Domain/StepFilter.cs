using Accounting.Accountant.Storage;
using Accounting.Mechanisms.Events;

namespace Accounting.Accountant.Domain;

/// <summary>
/// The individual filters of one step, group by group (SPEC §3: a unit whose filter does not admit the charge is
/// excluded from the update and from the rest of the task). A unit's spent curve is its group's base plus its own
/// delta ≤ 0; with a sensitivity factor s it pays the event at noise σ/s (Feldman &amp; Zrnic 2021, Cor. 4.7).
/// </summary>
internal sealed class StepFilter(
    IStoreSession session, BudgetBook budgets, CurveCache curves, PrivacyEvent privacyEvent, TaskRow task, long step,
    IReadOnlyList<(UnitRow Unit, double Factor)> sensitivities)
{
    private readonly Dictionary<long, double[]?> _costs = [];
    // By budget, then by factor: a pair as the key cost more to hash than the rest of a unit's payment.
    private readonly Dictionary<long, Dictionary<double, (double[] Cost, double[] Saved)>> _unitPrices = [];
    private readonly HashSet<long> _lockedBudgets = [];

    /// <summary>Units excluded at this step.</summary>
    public List<string> Excluded { get; } = [];

    /// <summary>Units that paid this step.</summary>
    public long Participating { get; private set; }

    /// <summary>Whether members moved to a group of their own, which may have left their old group empty.</summary>
    public bool MovedUnits { get; private set; }

    /// <summary>Charges the group, or excludes it from the task except for members whose own curve still fits.</summary>
    public void Decide(GroupRow group)
    {
        var budget = Budget(group.BudgetId);
        var cost = Cost(budget);
        var own = sensitivities.Where(u => u.Unit.GroupId == group.Id).ToList();
        if (cost is not null && budget.Admits(group.Base, cost))
        {
            Pay(group, budget, cost, own);
            Participating += group.Members;
            return;
        }

        // The group's curve is refused, so its members without a delta are too (same state); members below it —
        // with a delta or a sensitivity factor — may still fit, and move to a group of their own to go on.
        var candidates = session.UnitsWithDelta(group.Id).Select(u => (Unit: u, Factor: 1.0))
            .Concat(own).GroupBy(u => u.Unit.Id).Select(g => g.Last()).ToList();
        var survivors = cost is null ? [] : candidates.Where(u => budget.Admits(SpentBy(group, u.Unit), UnitCost(budget, cost, u.Factor))).ToList();
        if (survivors.Count > 0)
        {
            var split = Groups.SplitOff(session, group);
            session.MoveUnits([.. survivors.Select(u => u.Unit.Id)], group.Id, split.Id);
            Pay(split, budget, cost!, survivors);
            Participating += survivors.Count;
            MovedUnits = true;
        }
        var excluded = group with { Excluded = [.. group.Excluded.Append(task.Id).Distinct().Order(StringComparer.Ordinal)] };
        session.UpdateGroup(excluded);
        session.RecordGroupExclusion(group.Id, task.Id, step);
        Excluded.AddRange(session.MemberIds(group.Id));
    }

    // The group pays the event; units with a factor below 1 record what they saved as a (negative) delta.
    private void Pay(GroupRow group, Budget budget, double[] cost, List<(UnitRow Unit, double Factor)> units)
    {
        session.UpdateGroup(group with { Base = Curves.Plus(group.Base, cost) });
        session.RecordGroupStep(group.Id, task.Id, step);
        // What a factor saves is one array shared by the units with that factor: curves are never changed in place.
        var prices = Prices(budget);
        var deltas = new List<DeltaChange>(units.Count);
        foreach (var (unit, factor) in units)
        {
            if (factor < 1)
            {
                deltas.Add(new DeltaChange(unit.Id, unit.Delta, UnitPrice(prices, budget, cost, factor).Saved));
            }
        }
        if (deltas.Count > 0) // a uniform step has none: no statement (on PostgreSQL, no round trip)
        {
            session.SetDeltas(deltas);
        }
    }

    // The budget, locked before it is read (once per step): its grid cannot change under the spending recorded here.
    private Budget Budget(long id) => _lockedBudgets.Add(id) ? budgets.Locked(session, id) : budgets.Get(session, id);

    private static double[] SpentBy(GroupRow group, UnitRow unit) =>
        unit.Delta is null ? group.Base : Curves.Plus(group.Base, unit.Delta);

    // What the event costs the budget; null when it cannot be charged to it (no ρ for a zCDP budget): not admitted.
    private double[]? Cost(Budget budget)
    {
        if (!_costs.TryGetValue(budget.Id, out var cost))
        {
            _costs[budget.Id] = cost = budget.IsZcdp && curves.Rho(privacyEvent) is null ? null : curves.Cost(privacyEvent, budget, task.Relation);
        }
        return cost;
    }

    // A unit with factor s pays the event at noise σ/s, never more than the group's cost: both are upper bounds on
    // the same unit's true cost, so their element-wise minimum is one too and keeps every delta ≤ 0.
    private double[] UnitCost(Budget budget, double[] cost, double factor) => factor >= 1 ? cost : UnitPrice(Prices(budget), budget, cost, factor).Cost;

    // A factor's cost below 1, and what it saves against the group's cost (≤ 0, rounded up), once per step.
    private (double[] Cost, double[] Saved) UnitPrice(
        Dictionary<double, (double[] Cost, double[] Saved)> prices, Budget budget, double[] cost, double factor)
    {
        if (!prices.TryGetValue(factor, out var price))
        {
            var unitCost = curves.Cost(IndividualSensitivity.Scale(privacyEvent, factor), budget, task.Relation); // a copy of its own
            for (var i = 0; i < unitCost.Length; i++)
            {
                unitCost[i] = Math.Min(unitCost[i], cost[i]);
            }
            prices[factor] = price = (unitCost, Curves.Minus(unitCost, cost));
        }
        return price;
    }

    // The prices of factors below 1 under this budget, once per step.
    private Dictionary<double, (double[] Cost, double[] Saved)> Prices(Budget budget)
    {
        if (!_unitPrices.TryGetValue(budget.Id, out var prices))
        {
            _unitPrices[budget.Id] = prices = [];
        }
        return prices;
    }
}
