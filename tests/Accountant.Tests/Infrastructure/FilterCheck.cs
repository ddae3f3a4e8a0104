using Accounting.Mechanisms.Rdp;

namespace Accounting.Accountant.Tests.Infrastructure;

/// <summary>The SPEC §3 budget condition, written out in the test: some order α has S(α) ≤ B(α).</summary>
public static class FilterCheck
{
    /// <summary>B(α) = ε_B − log(1 − 1/α) + log(α·δ_B/|Λ|)/(α − 1) on the grid.</summary>
    public static double[] Bounds(double epsilon, double delta, OrderGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        return [.. grid.Orders.Select(a => epsilon - Math.Log(1 - 1 / a) + Math.Log(a * delta / grid.Count) / (a - 1))];
    }

    /// <summary>Whether a spent curve is within the budget.</summary>
    public static bool WithinBudget(double[] spent, double[] bounds) => spent.Zip(bounds).Any(p => p.First <= p.Second);
}
