using Accounting.Mechanisms.Numerics;

namespace Accounting.Mechanisms.Tests.Numerics;

/// <summary>The hard-coded 7/15-point nodes and weights are right: each rule integrates the polynomials it must exactly.</summary>
public class GaussKronrodTests
{
    // On [−1, 1], ∫x^k = 2/(k+1) for even k, 0 for odd k. The 15-point Kronrod rule is exact to degree 22, the embedded
    // 7-point Gauss rule to degree 13; 1e-15 leaves room for the rounding of 15 products.
    [Fact]
    public void Both_rules_integrate_polynomials_up_to_their_degree_exactly()
    {
        for (var k = 0; k <= 22; k++)
        {
            var exact = k % 2 == 0 ? 2.0 / (k + 1) : 0;
            var (kronrod, gauss) = GaussKronrod.Panel(new Power(k), -1, 1);
            Assert.InRange(kronrod, exact - 1e-15, exact + 1e-15);
            if (k <= 13)
            {
                Assert.InRange(gauss, exact - 1e-15, exact + 1e-15);
            }
        }
        // Degree 14 is the first the Gauss rule misses: the error estimate must see it.
        var (k14, g14) = GaussKronrod.Panel(new Power(14), -1, 1);
        Assert.True(Math.Abs(k14 - g14) > 1e-6);
    }

    [Fact]
    public void Adaptive_integration_of_a_narrow_gaussian_is_accurate()
    {
        // ∫ exp(−x²/(2·0.01)) over [−1, 1] = √(2π)·0.1·erf(1/(0.1·√2)) ≈ √(2π)·0.1 (erf(7.07) = 1 − 2e-23).
        var budget = 1000;
        var value = GaussKronrod.Integrate(new NarrowGaussian(), -1, 1, 1e-15, 1e-15, ref budget);
        var exact = Math.Sqrt(2 * Math.PI) * 0.1;
        Assert.InRange(value, exact * (1 - 1e-13), exact * (1 + 1e-13));
        Assert.InRange(budget, 0, 999);
    }

    [Fact]
    public void Adaptive_integration_gives_NaN_when_its_panel_budget_runs_out()
    {
        var budget = 3; // the narrow peak needs more halvings than this
        Assert.True(double.IsNaN(GaussKronrod.Integrate(new NarrowGaussian(), -1, 1, 1e-15, 1e-15, ref budget)));
    }

    internal readonly struct Power(int k) : IRealFunction
    {
        public double Value(double x) => Math.Pow(x, k);
    }

    internal readonly struct NarrowGaussian : IRealFunction
    {
        public double Value(double x) => Math.Exp(-x * x / 0.02);
    }
}
