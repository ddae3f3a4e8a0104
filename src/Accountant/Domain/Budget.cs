using Accounting.Accountant.Contracts;
using Accounting.Mechanisms.Conversion;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Filters;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Accountant.Domain;

/// <summary>
/// A lifetime budget: an (ε, δ) individual Rényi filter on its own small grid, or a zCDP ρ. Spent curves of units
/// under it live on <see cref="Grid"/> (one value, ρ, for zCDP).
/// </summary>
public sealed record Budget(long Id, double? Epsilon, double? Delta, double? Rho, OrderGrid Grid, NeighbouringRelation Relation, UnitKind UnitKind)
{
    private readonly RdpFilter? _rdp = Rho is null ? new RdpFilter(Epsilon!.Value, Delta!.Value, Grid) : null;
    private readonly ZcdpFilter? _zcdp = Rho is { } rho ? new ZcdpFilter(rho) : null;

    /// <summary>Whether spends are tracked as ρ rather than as an RDP curve.</summary>
    public bool IsZcdp => Rho is not null;

    /// <summary>Values in a spent curve under this budget.</summary>
    public int Width => IsZcdp ? 1 : Grid.Count;

    /// <summary>The filter's admission rule (SPEC §3).</summary>
    public bool Admits(ReadOnlySpan<double> spent, ReadOnlySpan<double> charge) =>
        _rdp?.Admits(spent, charge) ?? _zcdp!.Admits(spent[0], charge[0]);

    /// <summary>The informational ε of a spent curve at the budget's δ (null for zCDP, reported as ρ).</summary>
    public double? EpsilonSpent(ReadOnlySpan<double> spent) =>
        IsZcdp ? null : RdpConversion.Epsilon(Grid, spent, Delta!.Value).Epsilon;

    /// <summary>
    /// What is left in the filter's own terms: ε_B minus the smallest ε that the spent curve converts to at
    /// δ_B/|Λ| over the grid (for zCDP, ρ_B minus spent ρ); at 0 no further charge of any size is admitted.
    /// </summary>
    public double Remaining(ReadOnlySpan<double> spent)
    {
        if (IsZcdp)
        {
            return Math.Max(0, Rho!.Value - spent[0]);
        }
        var used = RdpConversion.Epsilon(Grid, spent, Delta!.Value / Grid.Count).Epsilon;
        return Math.Max(0, Epsilon!.Value - used);
    }
}
