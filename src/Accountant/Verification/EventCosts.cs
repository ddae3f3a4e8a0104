using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;
using Accounting.Mechanisms.Zcdp;

namespace Accounting.Accountant.Verification;

/// <summary>
/// Costs of recorded events, computed with the Mechanisms library and kept by the event's JSON text: a task's
/// repeated step is costed once. Bounded: cleared past <see cref="Capacity"/> entries.
/// </summary>
internal sealed class EventCosts
{
    private const int Capacity = 8192;

    private readonly Dictionary<string, PrivacyEvent> _events = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Event, string Space, NeighbouringRelation Relation, double Factor), double[]> _costs = [];
    private readonly Dictionary<(string Event, double Factor), double?> _rhos = [];

    /// <summary>The event's RDP curve on a grid.</summary>
    public double[] Curve(string json, OrderGrid grid, NeighbouringRelation relation) => Cost(json, grid.Key, relation, 1, () => CurveOf(Event(json), grid, relation));

    /// <summary>The event's ρ, or null when it has none.</summary>
    public double? Rho(string json) => RhoOf(json, 1);

    /// <summary>
    /// What a unit with sensitivity factor s pays on its budget: the event at noise σ/s (Feldman &amp; Zrnic 2021,
    /// Cor. 4.7), capped at the event's full cost since both bound the same loss, as the service charges it.
    /// </summary>
    public double[] Unit(string json, RecordedBudget budget, NeighbouringRelation relation, double factor) =>
        Cost(json, budget.IsZcdp ? "zcdp" : budget.Grid.Key, relation, factor, () =>
        {
            double[] full = budget.IsZcdp ? [Required(RhoOf(json, 1))] : Curve(json, budget.Grid, relation);
            if (factor >= 1)
            {
                return full;
            }
            double[] scaled = budget.IsZcdp ? [Required(RhoOf(json, factor))] : CurveOf(IndividualSensitivity.Scale(Event(json), factor), budget.Grid, relation);
            return [.. scaled.Zip(full, Math.Min)];
        });

    private double[] Cost(string json, string space, NeighbouringRelation relation, double factor, Func<double[]> compute)
    {
        if (!_costs.TryGetValue((json, space, relation, factor), out var cost))
        {
            Trim(_costs);
            _costs[(json, space, relation, factor)] = cost = compute();
        }
        return cost;
    }

    private double? RhoOf(string json, double factor)
    {
        if (!_rhos.TryGetValue((json, factor), out var rho))
        {
            Trim(_rhos);
            _rhos[(json, factor)] = rho = ZcdpAccountant.Rho(IndividualSensitivity.Scale(Event(json), factor));
        }
        return rho;
    }

    private PrivacyEvent Event(string json)
    {
        if (!_events.TryGetValue(json, out var privacyEvent))
        {
            Trim(_events);
            _events[json] = privacyEvent = EventJson.Deserialize(json);
        }
        return privacyEvent;
    }

    private static double[] CurveOf(PrivacyEvent privacyEvent, OrderGrid grid, NeighbouringRelation relation) =>
        RdpAccountant.Curve(privacyEvent, grid, relation).Epsilons.ToArray();

    private static double Required(double? rho) =>
        rho ?? throw new InvalidDataException("units on a zCDP budget paid an event without a finite ρ");

    private static void Trim<TKey, TValue>(Dictionary<TKey, TValue> cache) where TKey : notnull
    {
        if (cache.Count >= Capacity)
        {
            cache.Clear();
        }
    }
}
