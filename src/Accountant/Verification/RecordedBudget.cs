using System.Text.Json;
using Accounting.Mechanisms.Conversion;
using Accounting.Mechanisms.Filters;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Accountant.Verification;

/// <summary>A budget as a ledger entry records it: (ε, δ) on a grid, or ρ.</summary>
internal sealed record RecordedBudget(double? Epsilon, double? Delta, double? Rho, OrderGrid Grid)
{
    /// <summary>Whether spends are ρ rather than curves.</summary>
    public bool IsZcdp => Rho is not null;

    /// <summary>Values in a spent curve.</summary>
    public int Width => IsZcdp ? 1 : Grid.Count;

    /// <summary>Whether a spent curve under one budget means the same under the other (same grid and kind).</summary>
    public bool SameSpace(RecordedBudget other) => IsZcdp == other.IsZcdp && Grid.Key == other.Grid.Key;

    /// <summary>The budget in a payload (epsilon, delta, rho, grid).</summary>
    public static RecordedBudget From(JsonElement budget)
    {
        var key = budget.GetProperty("grid").GetString() ?? "";
        return new(Number(budget, "epsilon"), Number(budget, "delta"), Number(budget, "rho"),
            OrderGrids.TryGet(key, out var grid) ? grid : throw new InvalidDataException($"unknown grid '{key}'"));
    }

    /// <summary>ε of a spent curve at the budget's δ (Balle et al. 2020, Thm 21, as the service reports it); null for ρ.</summary>
    public double? EpsilonSpent(double[] spent) => IsZcdp ? null : RdpConversion.Epsilon(Grid, spent, Delta!.Value).Epsilon;

    /// <summary>Whether the spent curve is within the individual filter (Feldman &amp; Zrnic 2021, Thm 4.5): it admits a zero charge.</summary>
    public bool Within(double[] spent) => IsZcdp
        ? new ZcdpFilter(Rho!.Value).Admits(spent[0], 0)
        : new RdpFilter(Epsilon!.Value, Delta!.Value, Grid).Admits(spent, new double[spent.Length]);

    private static double? Number(JsonElement budget, string name) =>
        budget.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
