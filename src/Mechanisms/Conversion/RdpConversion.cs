using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Numerics;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Mechanisms.Conversion;

/// <summary>ε of a conversion and the order that attains it.</summary>
public readonly record struct EpsilonAtOrder(double Epsilon, double Order);

/// <summary>δ of a conversion and the order that attains it.</summary>
public readonly record struct DeltaAtOrder(double Delta, double Order);

/// <summary>
/// RDP → (ε, δ) (Balle et al. 2020, Thm 21; Canonne, Kamath, Steinke 2020, Prop. 12), minimised over the curve's
/// orders. Every per-order value carries an upward margin for its rounding, so the reported ε or δ is never below
/// what exact arithmetic on the same curve would give.
/// </summary>
public static class RdpConversion
{
    /// <summary>Orders at or below this are skipped: the conversion degenerates as α → 1 (SPEC §3).</summary>
    public const double MinimumOrder = 1.01;

    // Relative margin on the magnitudes combined at one order: each is within a few ulps, 1e-14 covers their sum.
    private const double Margin = 1e-14;

    /// <summary>The smallest ε over the curve's orders for δ ∈ (0, 1), floored at 0; +∞ if no order is finite.</summary>
    public static EpsilonAtOrder Epsilon(RdpCurve curve, double delta)
    {
        ArgumentNullException.ThrowIfNull(curve);
        return Epsilon(curve.Grid, curve.Epsilons, delta);
    }

    /// <summary>
    /// The smallest ε over the grid's orders for δ ∈ (0, 1), floored at 0, of RDP values on <paramref name="grid"/>: as
    /// <see cref="Epsilon(ReadOnlySpan{double}, ReadOnlySpan{double}, double)"/>, with each order's logarithms taken from the grid.
    /// </summary>
    public static EpsilonAtOrder Epsilon(OrderGrid grid, ReadOnlySpan<double> rdp, double delta)
    {
        ArgumentNullException.ThrowIfNull(grid);
        return Smallest(grid.Orders.AsSpan(), rdp, delta, grid);
    }

    /// <summary>
    /// The smallest ε of <paramref name="privacyEvent"/> over <paramref name="grid"/> for δ ∈ (0, 1), floored at 0: the
    /// same answer as <see cref="Epsilon(RdpCurve, double)"/> of <see cref="RdpAccountant.Curve"/>, with the curve
    /// computed only at the orders that can attain the minimum (<see cref="OrderSearch"/>). Throws
    /// <see cref="Validation.InvalidParameterException"/> for invalid or unsupported events.
    /// </summary>
    public static EpsilonAtOrder Epsilon(PrivacyEvent privacyEvent, OrderGrid grid, NeighbouringRelation relation, double delta)
    {
        ArgumentNullException.ThrowIfNull(grid);
        EventValidation.EnsureAccountable(privacyEvent, relation);
        EnsureProbability(delta, nameof(delta));
        var logDelta = Math.Log(delta);
        var (index, epsilon) = OrderSearch.Minimise(privacyEvent, grid.Orders, (i, rdp) => EpsilonAt(grid, i, rdp, logDelta));
        return new EpsilonAtOrder(Math.Max(0, epsilon), index < 0 ? double.NaN : grid.Orders[index]);
    }

    /// <summary>The smallest ε over paired orders and RDP values for δ ∈ (0, 1), floored at 0.</summary>
    public static EpsilonAtOrder Epsilon(ReadOnlySpan<double> orders, ReadOnlySpan<double> rdp, double delta) =>
        Smallest(orders, rdp, delta, null);

    // The minimum over the orders, with their logarithms from the grid they are (if given) or computed.
    private static EpsilonAtOrder Smallest(ReadOnlySpan<double> orders, ReadOnlySpan<double> rdp, double delta, OrderGrid? grid)
    {
        EnsureProbability(delta, nameof(delta));
        var logDelta = Math.Log(delta);
        var best = new EpsilonAtOrder(double.PositiveInfinity, double.NaN);
        for (var i = 0; i < orders.Length; i++)
        {
            var epsilon = grid is null ? EpsilonAt(orders[i], rdp[i], logDelta) : EpsilonAt(grid, i, rdp[i], logDelta);
            if (epsilon < best.Epsilon)
            {
                best = new EpsilonAtOrder(epsilon, orders[i]);
            }
        }
        return best with { Epsilon = Math.Max(0, best.Epsilon) };
    }

    /// <summary>
    /// ε at one order: r + log(1 − 1/α) − (log δ + log α)/(α − 1), rounded up; +∞ for orders ≤ 1.01. At α = ∞ the
    /// curve's value is a pure-DP ε.
    /// </summary>
    public static double EpsilonAt(double alpha, double rdp, double logDelta) =>
        EpsilonAt(alpha, LogSpace.Log1p(-1 / alpha), Math.Log(alpha), rdp, logDelta);

    /// <summary>ε at the grid's i-th order, with the order's logarithms taken from the grid.</summary>
    internal static double EpsilonAt(OrderGrid grid, int i, double rdp, double logDelta) =>
        EpsilonAt(grid.Orders[i], grid.LogShrinks[i], grid.LogOrders[i], rdp, logDelta);

    // EpsilonAt given shrink = log(1 − 1/α) and log α.
    private static double EpsilonAt(double alpha, double shrink, double logAlpha, double rdp, double logDelta)
    {
        if (!(alpha > MinimumOrder) || double.IsPositiveInfinity(rdp))
        {
            return double.PositiveInfinity;
        }
        if (double.IsPositiveInfinity(alpha))
        {
            return rdp;
        }
        var tail = (logDelta + logAlpha) / (alpha - 1);
        var value = rdp + shrink - tail;
        return value + Margin * (Math.Abs(rdp) + Math.Abs(shrink) + Math.Abs(tail));
    }

    /// <summary>The smallest δ over the curve's orders for ε ≥ 0, capped at 1.</summary>
    public static DeltaAtOrder Delta(RdpCurve curve, double epsilon)
    {
        ArgumentNullException.ThrowIfNull(curve);
        if (!(double.IsFinite(epsilon) && epsilon >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "must be a finite number ≥ 0");
        }
        var best = new DeltaAtOrder(1, double.NaN);
        var orders = curve.Grid.Orders;
        for (var i = 0; i < orders.Length; i++)
        {
            var logDelta = LogDeltaAt(orders[i], curve.Epsilons[i], epsilon);
            if (logDelta < Math.Log(best.Delta))
            {
                best = new DeltaAtOrder(ToDelta(logDelta), orders[i]);
            }
        }
        return best;
    }

    /// <summary>log δ at one order: (α − 1)(r − ε + log(1 − 1/α)) − log α, rounded up; at α = ∞, 0 or −∞.</summary>
    public static double LogDeltaAt(double alpha, double rdp, double epsilon)
    {
        if (!(alpha > MinimumOrder) || double.IsPositiveInfinity(rdp))
        {
            return 0;
        }
        if (double.IsPositiveInfinity(alpha))
        {
            return rdp <= epsilon ? double.NegativeInfinity : 0;
        }
        var shrink = LogSpace.Log1p(-1 / alpha);
        var inner = rdp - epsilon + shrink;
        var scaled = (alpha - 1) * inner;
        var logAlpha = Math.Log(alpha);
        var margin = Margin * ((alpha - 1) * (Math.Abs(rdp) + Math.Abs(epsilon) + Math.Abs(shrink)) + logAlpha);
        return scaled - logAlpha + margin;
    }

    /// <summary>δ from log δ, rounded up and capped at 1; exactly 0 for log δ = −∞.</summary>
    internal static double ToDelta(double logDelta) =>
        double.IsNegativeInfinity(logDelta) ? 0 : Math.Min(1, Upward.Ulps(Math.Exp(logDelta), 2));

    internal static void EnsureProbability(double delta, string name)
    {
        if (!(delta > 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(name, delta, "must be a number in (0, 1)");
        }
    }
}
