using Accounting.Mechanisms.Conversion;
using Accounting.Mechanisms.Numerics;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Mechanisms.Filters;

/// <summary>
/// An individual Rényi filter for an (ε_B, δ_B) budget on its own grid Λ_B (Feldman &amp; Zrnic 2021, Thm 4.3 and the
/// individual filter of Thm 4.5): a charge c is admitted onto a spent curve S when some α ∈ Λ_B has
/// S(α) + c(α) ≤ B(α), with B(α) = ε_B − log(1 − 1/α) + log(α·δ_B/|Λ_B|)/(α − 1) the RDP level that converts to
/// (ε_B, δ_B/|Λ_B|) at α alone. Splitting δ_B over the orders makes the union over "which order stayed within
/// budget" sound (SPEC §3). The bounds are rounded down, so rounding can only refuse, never admit, a borderline charge.
/// </summary>
public sealed class RdpFilter
{
    private readonly double[] _bounds;

    /// <summary>A filter for the budget (ε_B &gt; 0, δ_B ∈ (0, 1)) on <paramref name="grid"/>.</summary>
    public RdpFilter(double epsilon, double delta, OrderGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        if (!(double.IsFinite(epsilon) && epsilon > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "must be a finite number > 0");
        }
        RdpConversion.EnsureProbability(delta, nameof(delta));
        Epsilon = epsilon;
        Delta = delta;
        Grid = grid;
        var logShare = Math.Log(delta / grid.Count);
        _bounds = [.. grid.Orders.Select(alpha => Bound(epsilon, logShare, alpha))];
    }

    /// <summary>The budget's ε.</summary>
    public double Epsilon { get; }

    /// <summary>The budget's δ, split evenly over the grid's orders.</summary>
    public double Delta { get; }

    /// <summary>The budget's grid; spent curves and charges must be on it.</summary>
    public OrderGrid Grid { get; }

    /// <summary>B(α) for each order of <see cref="Grid"/>: −∞ where no spend is affordable.</summary>
    public ReadOnlySpan<double> Bounds => _bounds;

    /// <summary>Whether some order keeps S(α) + c(α) (rounded up) within B(α).</summary>
    public bool Admits(ReadOnlySpan<double> spent, ReadOnlySpan<double> charge)
    {
        if (spent.Length != _bounds.Length || charge.Length != _bounds.Length)
        {
            throw new ArgumentException($"curves must be on {Grid.Key} ({_bounds.Length} orders)");
        }
        for (var i = 0; i < _bounds.Length; i++)
        {
            if (Upward.Add(spent[i], charge[i]) <= _bounds[i])
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether the charge fits on the spent curve (both on <see cref="Grid"/>).</summary>
    public bool Admits(RdpCurve spent, RdpCurve charge)
    {
        ArgumentNullException.ThrowIfNull(spent);
        ArgumentNullException.ThrowIfNull(charge);
        return Admits(spent.Epsilons, charge.Epsilons);
    }

    // Balle et al. 2020, Thm 21 solved for r at δ_B/|Λ_B|, rounded down by a margin of the magnitudes involved.
    private static double Bound(double epsilon, double logShare, double alpha)
    {
        if (!(alpha > RdpConversion.MinimumOrder))
        {
            return double.NegativeInfinity;
        }
        if (double.IsPositiveInfinity(alpha))
        {
            return epsilon; // pure ε-DP spends no δ
        }
        var shrink = LogSpace.Log1p(-1 / alpha);
        var tail = (logShare + Math.Log(alpha)) / (alpha - 1);
        var value = epsilon - shrink + tail;
        return value - 1e-14 * (epsilon + Math.Abs(shrink) + Math.Abs(tail));
    }
}
