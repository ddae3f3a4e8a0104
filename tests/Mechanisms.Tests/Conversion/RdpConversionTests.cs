using Accounting.Mechanisms.Conversion;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;
using Accounting.Mechanisms.Tests.Reference;
using CsCheck;

namespace Accounting.Mechanisms.Tests.Conversion;

public class RdpConversionTests
{
    // dp_accounting rdp_privacy_accountant_test.py, test_compute_epsilon_delta_pure_dp-style case: a constant RDP of
    // 1.1 on orders 2..32 at δ = 1e-5 gives ε = 1.32783806176 at α = 32 (printed to 12 digits).
    [Fact]
    public void Constant_curve_matches_dp_accounting()
    {
        var orders = Enumerable.Range(2, 31).Select(x => (double)x).ToArray();
        var result = RdpConversion.Epsilon(orders, orders.Select(_ => 1.1).ToArray(), 1e-5);
        Assert.InRange(result.Epsilon, 1.32783806176 - 5e-12, 1.32783806176 + 5e-12);
        Assert.Equal(32, result.Order);
    }

    // Opacus test_rdp_accountant: σ = 1.5, q = 0.04, 2250 steps, δ = 1e-5 on Opacus' default orders → 7.32911117143.
    // Opacus' fractional orders overestimate slightly; the best order here (3.9) is fractional, so ours may be a
    // hair lower, within 1e-9 relative.
    [Fact]
    public void Dp_sgd_run_matches_opacus()
    {
        var run = new SelfComposedEvent(2250, new PoissonSampledEvent(0.04, new GaussianEvent(1.5)));
        var curve = RdpAccountant.Curve(run, OrderGrids.Opacus, NeighbouringRelation.AddOrRemoveOne);
        var result = RdpConversion.Epsilon(curve, 1e-5);
        Assert.InRange(result.Epsilon, 7.32911117143 * (1 - 1e-9), 7.32911117143 * (1 + 1e-9));
    }

    // A curve on a grid converts with the grid's stored logarithms: exactly what the same orders give as a plain list.
    [Fact]
    public void Grid_conversion_equals_conversion_of_its_orders() =>
        Gen.Select(Gen.Int[0, OrderGrids.All.Count() - 1], Gen.Double[0, 50], Gen.Double[1e-12, 0.5]).Sample((g, scale, delta) =>
        {
            var grid = OrderGrids.All.ElementAt(g);
            var rdp = grid.Orders.Select((a, i) => scale * a / (1 + i % 7)).ToArray();
            return RdpConversion.Epsilon(grid, rdp, delta) == RdpConversion.Epsilon(grid.Orders.AsSpan(), rdp, delta);
        }, iter: 500);

    // The per-order conversion recomputed in double-double: ours is never below it and within 1e-13 absolute.
    [Fact]
    public void Per_order_epsilon_is_never_below_the_exact_value()
    {
        Gen.Select(Gen.Double[1.02, 2000], Gen.Double[0, 50], Gen.Double[-40, -1e-3]).Sample((alpha, rdp, logDelta) =>
        {
            var a = DoubleDouble.FromDouble(alpha);
            var exact = rdp + DoubleDouble.Log1p(-1 / a) - (logDelta + DoubleDouble.Log(a)) / (a - 1);
            var actual = RdpConversion.EpsilonAt(alpha, rdp, logDelta);
            var gap = (DoubleDouble.FromDouble(actual) - exact).ToDouble();
            return gap >= 0 && gap <= 1e-13 * Math.Max(1, Math.Abs(actual) + rdp);
        });
    }

    [Fact]
    public void Delta_of_the_converted_epsilon_is_at_most_delta()
    {
        var run = new SelfComposedEvent(1000, new PoissonSampledEvent(0.01, new GaussianEvent(1.1)));
        var curve = RdpAccountant.Curve(run, OrderGrids.DpAccounting, NeighbouringRelation.AddOrRemoveOne);
        foreach (var delta in new[] { 1e-3, 1e-5, 1e-9 })
        {
            var epsilon = RdpConversion.Epsilon(curve, delta);
            var back = RdpConversion.Delta(curve, epsilon.Epsilon);
            Assert.True(back.Delta <= delta * (1 + 1e-12), $"δ({epsilon.Epsilon}) = {back.Delta} > {delta}");
            Assert.True(back.Delta >= delta * 0.5, "the δ at the converted ε should be of the same size");
        }
    }

    [Fact]
    public void Orders_at_or_below_one_point_zero_one_are_not_used()
    {
        var result = RdpConversion.Epsilon([1.01, 2], [0, 100], 1e-5);
        Assert.Equal(2, result.Order);
    }

    [Fact]
    public void Epsilon_is_floored_at_zero() =>
        Assert.Equal(0, RdpConversion.Epsilon([64], [0], 0.5).Epsilon);

    [Fact]
    public void Infinite_order_converts_as_pure_dp()
    {
        Assert.Equal(0.7, RdpConversion.Epsilon([double.PositiveInfinity], [0.7], 1e-5).Epsilon);
        var curve = new RdpCurve(new OrderGrid("t", 1, [double.PositiveInfinity]), [0.7]);
        Assert.Equal(0, RdpConversion.Delta(curve, 0.7).Delta);
        Assert.Equal(1, RdpConversion.Delta(curve, 0.6).Delta);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1e-5)]
    [InlineData(double.NaN)]
    public void Delta_outside_zero_one_is_refused(double delta) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RdpConversion.Epsilon([2.0], [1.0], delta));
}
