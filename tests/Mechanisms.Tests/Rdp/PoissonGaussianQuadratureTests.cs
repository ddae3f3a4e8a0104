using Accounting.Mechanisms.Rdp;
using Accounting.Mechanisms.Tests.Reference;

namespace Accounting.Mechanisms.Tests.Rdp;

/// <summary>
/// The two quadratures behind fractional orders, each on its own against the double-double reference for log(A_α − 1):
/// the whole-line trapezoidal fast path where it accepts, and the adaptive Gauss–Kronrod fallback everywhere, so the
/// fallback stays exact in the regimes where the fast path normally answers.
/// </summary>
public class PoissonGaussianQuadratureTests
{
    // Relative error of A_α − 1 allowed: the results lean upwards by their added error estimates and tail bounds, and
    // the reference is good to about 1e-13 either way.
    private const double Above = 1e-11;
    private const double Below = 1e-12;

    public static TheoryData<double, double> Regimes()
    {
        var data = new TheoryData<double, double>();
        foreach (var q in new[] { 1e-4, 1e-3, 0.01, 0.04, 0.1, 0.5, 0.9 })
        {
            foreach (var sigma in new[] { 0.5, 0.8, 1, 1.5, 2, 5, 20, 100 })
            {
                data.Add(q, sigma);
            }
        }
        return data;
    }

    // The fractional orders of the dp_accounting and Opacus grids span 1.1..10.9: the fast path must accept them all
    // for σ ≥ 0.5 (else every curve silently pays for the adaptive rule) and be exact there.
    [Theory]
    [MemberData(nameof(Regimes))]
    public void Trapezoid_accepts_grid_orders_and_matches_the_reference(double q, double sigma)
    {
        foreach (var alpha in new[] { 1.01, 1.1, 1.5, 2.5, 3.7, 5.5, 7.3, 10.9 })
        {
            var f = new PoissonGaussianIntegrand(q, sigma, alpha);
            Assert.True(PoissonGaussianTrapezoid.TryLogIntegral(f, sigma, alpha, out var actual), $"declined α = {alpha}");
            AssertClose(ReferenceRdp.QuadratureLogAMinusOne(q, sigma, alpha).ToDouble(), actual, alpha);
        }
    }

    // Large orders: wherever the trapezoid accepts it is exact; where the integrand could overflow in linear space it
    // declines.
    [Theory]
    [MemberData(nameof(Regimes))]
    public void Trapezoid_at_large_orders_is_exact_or_declines(double q, double sigma)
    {
        foreach (var alpha in new[] { 33.3, 100.5, 1023.5 })
        {
            var f = new PoissonGaussianIntegrand(q, sigma, alpha);
            var accepted = PoissonGaussianTrapezoid.TryLogIntegral(f, sigma, alpha, out var actual);
            Assert.Equal(alpha * (alpha - 1) / (2 * sigma * sigma) <= 600, accepted);
            if (accepted)
            {
                AssertClose(ReferenceRdp.QuadratureLogAMinusOne(q, sigma, alpha).ToDouble(), actual, alpha);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Regimes))]
    public void Adaptive_fallback_matches_the_reference(double q, double sigma)
    {
        foreach (var alpha in new[] { 1.01, 1.5, 3.7, 10.9, 33.3 })
        {
            AssertClose(
                ReferenceRdp.QuadratureLogAMinusOne(q, sigma, alpha).ToDouble(),
                PoissonGaussianIntegral.AdaptiveLogExcess(q, sigma, alpha), alpha);
        }
    }

    private static void AssertClose(double reference, double actual, double alpha)
    {
        // log-space difference = relative difference of A_α − 1, to first order.
        var relative = actual - reference;
        Assert.True(relative >= -Below && relative <= Above, $"α = {alpha}: log(A − 1) = {actual:R} vs {reference:R}");
    }
}
