using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;
using Accounting.Mechanisms.Tests.Reference;

namespace Accounting.Mechanisms.Tests.Rdp;

/// <summary>
/// The subsampled Gaussian against published values and against the double-double references of
/// <see cref="ReferenceRdp"/> (binomial sum at integer orders, Gauss–Legendre quadrature at any order). The bar:
/// relative error ≤ 1e-9, and never below the true value.
/// </summary>
public class PoissonGaussianRdpTests
{
    private const double MaxRelativeError = 1e-9;

    // Far outside training's regimes (σ < 0.05 or q < 1e-12) a fractional order is not integrated: ε is non-decreasing
    // in α, so it is bounded by the exact value at the next integer order, and it stays above the one below (where
    // that is not lost in subnormal rounding).
    [Theory]
    [InlineData(1e-300, 1, 2.5)]
    [InlineData(5e-324, 0.1, 31.75)]
    [InlineData(0.04, 0.01, 10.5)]
    [InlineData(0.5, 1e-6, 1.5)]
    public void Fractional_orders_outside_the_quadratures_regime_take_the_next_integer_orders_value(double q, double sigma, double alpha)
    {
        var epsilon = PoissonGaussianRdp.Epsilon(q, sigma, alpha);
        Assert.Equal(PoissonGaussianRdp.Epsilon(q, sigma, Math.Ceiling(alpha)), epsilon);
        var below = PoissonGaussianRdp.Epsilon(q, sigma, Math.Max(2, Math.Floor(alpha)));
        Assert.True(epsilon >= below || below < 1e-300, $"{epsilon} < {below}");
    }

    // dp_accounting rdp_privacy_accountant_test.py, test_compute_rdp_poisson_sampled_gaussian: q = 0.01, σ = 2.5,
    // 50 steps. Integer orders are exact there (printed to 9 digits, so 5e-9 relative).
    [Theory]
    [InlineData(5, 2.18075656e-3)]
    [InlineData(50, 2.38460375e-2)]
    [InlineData(100, 1.67416308e2)]
    public void Integer_orders_match_dp_accounting(double alpha, double expected) =>
        AssertRelative(expected, 50 * PoissonGaussianRdp.Epsilon(0.01, 2.5, alpha), 5e-9);

    // The same test's fractional values come from summing absolute values of an alternating series: upper bounds.
    // The exact value is below them and equals the quadrature reference.
    [Theory]
    [InlineData(1.5, 6.70579741e-4)]
    [InlineData(2.5, 1.08548710e-3)]
    public void Fractional_orders_are_exact_where_dp_accounting_overestimates(double alpha, double dpAccounting)
    {
        var actual = 50 * PoissonGaussianRdp.Epsilon(0.01, 2.5, alpha);
        Assert.True(actual < dpAccounting, $"{actual} is not below dp_accounting's upper bound {dpAccounting}");
        AssertAboveWithin(50 * ReferenceRdp.Quadrature(0.01, 2.5, alpha), actual);
    }

    [Fact]
    public void Infinite_order_is_infinite() =>
        Assert.Equal(double.PositiveInfinity, PoissonGaussianRdp.Epsilon(0.01, 2.5, double.PositiveInfinity));

    // autodp's test table: integer order 2, q = 0.01, σ = 1. The table's own value is 8e-14 below the exact one.
    [Fact]
    public void Order_two_matches_autodp() =>
        AssertRelative(1.7181342207453428e-4, PoissonGaussianRdp.Epsilon(0.01, 1, 2), 1e-9);

    [Fact]
    public void Full_sampling_is_the_gaussian()
    {
        foreach (var alpha in new[] { 1.01, 1.5, 2, 32, 1024 })
        {
            Assert.Equal(GaussianRdp.Epsilon(1.3, alpha), PoissonGaussianRdp.Epsilon(1, 1.3, alpha));
        }
    }

    public static TheoryData<double, double> Regimes()
    {
        var data = new TheoryData<double, double>();
        foreach (var q in new[] { 1e-4, 1e-3, 0.01, 0.1, 0.5, 0.9 })
        {
            foreach (var sigma in new[] { 0.5, 0.8, 1, 2, 5, 20, 100 })
            {
                data.Add(q, sigma);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Regimes))]
    public void Integer_orders_equal_the_exact_binomial_sum(double q, double sigma)
    {
        foreach (var alpha in new[] { 2, 3, 5, 11, 32, 64, 256, 1024 })
        {
            AssertAboveWithin(ReferenceRdp.IntegerOrder(q, sigma, alpha), PoissonGaussianRdp.Epsilon(q, sigma, alpha));
        }
    }

    [Theory]
    [MemberData(nameof(Regimes))]
    public void Fractional_orders_equal_numerical_integration(double q, double sigma)
    {
        foreach (var alpha in new[] { 1.01, 1.1, 1.5, 2.5, 3.7, 10.9, 33.3, 100.5, 1023.5 })
        {
            AssertAboveWithin(ReferenceRdp.Quadrature(q, sigma, alpha), PoissonGaussianRdp.Epsilon(q, sigma, alpha));
        }
    }

    // Extreme inputs of the issue: finite (or the Gaussian's +∞ at α = ∞), never NaN, never below the reference.
    [Theory]
    [InlineData(1, 0.1)]
    [InlineData(1, 1e4)]
    [InlineData(1e-9, 0.1)]
    [InlineData(1e-9, 1e4)]
    [InlineData(0.5, 0.1)]
    [InlineData(1e-9, 1)]
    public void Extreme_inputs_stay_finite_and_conservative(double q, double sigma)
    {
        foreach (var alpha in new[] { 1.01, 2, 1.5, 1024 })
        {
            var actual = PoissonGaussianRdp.Epsilon(q, sigma, alpha);
            Assert.True(double.IsFinite(actual) && actual >= 0, $"q={q}, σ={sigma}, α={alpha}: {actual}");
            var reference = alpha == Math.Floor(alpha)
                ? ReferenceRdp.IntegerOrder(q, sigma, (int)alpha)
                : ReferenceRdp.Quadrature(q, sigma, alpha);
            Assert.True(actual >= reference, $"q={q}, σ={sigma}, α={alpha}: {actual} below {reference}");
        }
    }

    [Fact]
    public void Ten_million_steps_compose_to_a_finite_curve()
    {
        var run = new SelfComposedEvent(10_000_000, new PoissonSampledEvent(1e-4, new GaussianEvent(0.8)));
        var curve = RdpAccountant.Curve(run, OrderGrids.DpAccounting, NeighbouringRelation.AddOrRemoveOne);
        var step = RdpAccountant.Curve(((SelfComposedEvent)run).Event, OrderGrids.DpAccounting, NeighbouringRelation.AddOrRemoveOne);
        for (var i = 0; i < curve.Grid.Count; i++)
        {
            Assert.True(double.IsFinite(curve.Epsilons[i]));
            Assert.True(curve.Epsilons[i] >= 1e7 * step.Epsilons[i]);
        }
    }

    private static void AssertAboveWithin(double reference, double actual)
    {
        Assert.True(actual >= reference, $"{actual:R} is below the reference {reference:R}");
        Assert.True(actual <= reference * (1 + MaxRelativeError), $"{actual:R} is more than 1e-9 above {reference:R}");
    }

    private static void AssertRelative(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected), $"{actual:R} vs {expected:R}");
}
