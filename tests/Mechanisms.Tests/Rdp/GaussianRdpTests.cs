using Accounting.Mechanisms.Rdp;
using Accounting.Mechanisms.Tests.Reference;

namespace Accounting.Mechanisms.Tests.Rdp;

public sealed class GaussianRdpTests
{
    // Mironov 2017, Prop. 7: the Gaussian mechanism with noise σ (sensitivity 1) has ε(α) = α/(2σ²). The reference is
    // computed in double-double from the exact square σ·σ (TwoProd), so it is good to ≈ 1e-32 relative.
    private static DoubleDouble Reference(double sigma, double alpha) =>
        DoubleDouble.FromDouble(alpha) / (DoubleDouble.ExactProduct(sigma, sigma) * 2);

    // Never below, at most 1e-15 above: α/(2σ·σ) is two correctly rounded operations (≤ 1 ulp together) and the
    // production adds 2 ulps, so ≤ 3 ulps ≤ 6.7e-16 relative.
    private static void AssertTightUpperBound(double sigma, double alpha)
    {
        var reference = Reference(sigma, alpha);
        var actual = GaussianRdp.Epsilon(sigma, alpha);
        var relative = ((DoubleDouble)actual - reference).ToDouble() / reference.ToDouble();
        Assert.True(relative >= 0 && relative <= 1e-15, $"σ = {sigma:R}, α = {alpha:R}: {actual:R} vs {reference}, relative {relative:E3}");
    }

    [Theory]
    [InlineData(1e-3)]
    [InlineData(0.1)]
    [InlineData(0.7)]
    [InlineData(1)]
    [InlineData(1.1)]
    [InlineData(3)]
    [InlineData(1e3)]
    [InlineData(1e6)]
    public void Is_a_tight_upper_bound_on_every_grid_order(double sigma)
    {
        foreach (var grid in OrderGrids.All)
        {
            foreach (var alpha in grid.Orders)
            {
                AssertTightUpperBound(sigma, alpha);
            }
        }
    }

    [Fact]
    public void Is_a_tight_upper_bound_for_random_parameters()
    {
        // 10^4 seeded pairs: σ log-uniform in [1e-3, 1e3], α log-uniform in (1, 1e4].
        var random = new Random(20_240_917);
        for (var i = 0; i < 10_000; i++)
        {
            var sigma = Math.Pow(10, (6 * random.NextDouble()) - 3);
            var alpha = 1 + Math.Pow(10, (8 * random.NextDouble()) - 4);
            AssertTightUpperBound(sigma, alpha);
        }
    }

    [Fact]
    public void Is_not_pure_dp() =>
        Assert.Equal(double.PositiveInfinity, GaussianRdp.Epsilon(1, double.PositiveInfinity));
}
