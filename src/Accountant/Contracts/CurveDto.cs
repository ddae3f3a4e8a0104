using Accounting.Mechanisms.Rdp;

namespace Accounting.Accountant.Contracts;

/// <summary>An RDP curve: ε(α) at each order of a grid. A null value is +∞ (JSON has no infinity).</summary>
/// <param name="Grid">Grid key, e.g. <c>dp-accounting/v1</c>.</param>
/// <param name="Orders">The orders α, ascending.</param>
/// <param name="Values">ε(α) per order; null for +∞.</param>
public sealed record CurveDto(string Grid, IReadOnlyList<double> Orders, IReadOnlyList<double?> Values)
{
    /// <summary>The curve's values on its grid.</summary>
    public static CurveDto From(OrderGrid grid, ReadOnlySpan<double> values) =>
        new(grid.Key, grid.Orders, [.. values.ToArray().Select(v => double.IsFinite(v) ? v : (double?)null)]);
}
