using System.Numerics;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Mechanisms.Tests.Rdp;

public class WithoutReplacementGaussianRdpTests
{
    // tensorflow/privacy rdp_accountant_test.py, test_compute_rdp_sequence_without_replacement: q = 0.01, σ = 2.5,
    // 50 steps, checked there with rtol = 1e-4. (dp_accounting's own rdp_privacy_accountant_test.py has no
    // sampling-without-replacement values; this test exercised the same routine before it moved to dp_accounting.)
    [Theory]
    [InlineData(1.001, 3.4701e-3)]
    [InlineData(1.5, 3.4701e-3)]
    [InlineData(2.5, 4.6386e-3)]
    [InlineData(5, 8.7634e-3)]
    [InlineData(50, 9.8474e-2)]
    [InlineData(100, 1.6776e2)]
    [InlineData(256, 7.9297e2)]
    [InlineData(512, 1.8174e3)]
    [InlineData(1024, 3.8656e3)]
    public void Matches_tensorflow_privacy_reference_values(double alpha, double expected)
    {
        var actual = 50 * WithoutReplacementGaussianRdp.Epsilon(1000, 10, 2.5, alpha);
        Assert.InRange(actual, expected * (1 - 1e-4), expected * (1 + 1e-4));
    }

    // The same routine (dp_accounting _compute_rdp_sample_wor_gaussian_scalar) transliterated line by line to plain
    // Python floats (math.lgamma for gammaln) and run in CPython, to 17 digits. Those carry their own rounding
    // (≤ 1e-13 here, either way); ours may also be higher by its rounding margin (well under 1e-9 here).
    [Theory]
    [InlineData(1000, 10, 2.5, 1.5, 0.003470097001318479 / 50)]
    [InlineData(1000, 10, 2.5, 2.5, 0.004638608216534567 / 50)]
    [InlineData(1000, 10, 2.5, 5, 0.008763360519191701 / 50)]
    [InlineData(1000, 10, 2.5, 50, 0.09847415029705571 / 50)]
    [InlineData(1000, 10, 2.5, 100, 167.76638855321283 / 50)]
    [InlineData(1000, 10, 2.5, 256, 792.9744273661978 / 50)]
    [InlineData(1000, 10, 2.5, 512, 1817.3587095846042 / 50)]
    [InlineData(1000, 10, 2.5, 1024, 3865.550287230145 / 50)]
    [InlineData(10, 1, 1.0, 32, 13.645497554992307)]
    [InlineData(5, 1, 0.5, 20.5, 39.36921384490568)]
    [InlineData(1_000_000_000, 1, 1.0, 256, 107.19818467812658)]
    [InlineData(2, 1, 3.0, 256, 13.529075041663273)]
    [InlineData(1_000_000_000, 1, 1.0, 1024, 491.2571543794208)]
    [InlineData(1_000_000_000, 1, 0.1, 1024, 51179.25715437942)]
    public void Matches_dp_accounting_transliteration(long n, long m, double sigma, double alpha, double expected)
    {
        var actual = WithoutReplacementGaussianRdp.Epsilon(n, m, sigma, alpha);
        Assert.InRange(actual, expected * (1 - 1e-13), expected * (1 + 1e-9));
    }

    // Large σ: the moment sums cancel massively, and dp_accounting's float forward differences drift (for these cases
    // up to ~30× the value). Expected values are the same bound evaluated with mpmath at 1500 digits, exact binomials and
    // exact moment sums; ours must not be below them and is within 1e-8 — unless the plain Gaussian's α/(2σ²), also a
    // valid bound (joint quasi-convexity), is lower, as for n = 2, m = 1, σ = 100, α = 64.
    [Theory]
    [InlineData(2, 1, 10.0, 64, 0.11852238839958742)]
    [InlineData(2, 1, 100.0, 64, 0.0034552755069365563)]
    [InlineData(10, 1, 10.0, 256, 0.023214687011941821)]
    [InlineData(10, 9, 10.0, 256, 1.1884417640260015)]
    [InlineData(1000, 1, 1e4, 200, 4.0000457449409094e-12)]
    [InlineData(1_000_000_000, 1, 1e4, 1024, 3.6932276627646107e-22)]
    public void Stays_above_a_high_precision_evaluation(long n, long m, double sigma, double alpha, double expected)
    {
        var actual = WithoutReplacementGaussianRdp.Epsilon(n, m, sigma, alpha);
        var bound = Math.Min(expected, alpha / (2 * sigma * sigma));
        Assert.InRange(actual, bound, bound * (1 + 1e-8));
    }

    // Thm 9 / Thm 27 of Wang, Balle, Kasiviswanathan 2019 written out directly: exact binomials, plain doubles, no
    // logs. Safe here because nothing overflows and the moment sums barely cancel at these σ.
    private static double DirectBound(double q, double sigma, int alpha)
    {
        var c = 1 / (2 * sigma * sigma);
        double Moment(int k)
        {
            double sum = 0;
            for (var l = 0; l <= k; l++)
            {
                var sign = (k - l) % 2 == 0 ? 1.0 : -1.0;
                sum += sign * (double)Binomial(k, l) * Math.Exp(c * l * (l - 1));
            }
            return sum;
        }
        var a = 1.0;
        for (var j = 2; j <= alpha; j++)
        {
            var loose = 2 * Math.Exp(c * j * (j - 1));
            var tight = 4 * Math.Sqrt(Moment(2 * (j / 2)) * Moment(2 * ((j + 1) / 2)));
            a += Math.Pow(q, j) * (double)Binomial(alpha, j) * Math.Min(tight, loose);
        }
        return Math.Log(a) / (alpha - 1);
    }

    private static BigInteger Binomial(int n, int k)
    {
        BigInteger result = 1;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - i + 1) / i;
        }
        return result;
    }

    [Theory]
    [InlineData(20, 1, 1.5, 2)]
    [InlineData(20, 1, 1.5, 3)]
    [InlineData(20, 1, 1.5, 10)]
    [InlineData(20, 1, 1.5, 20)]
    [InlineData(10, 3, 2.0, 7)]
    [InlineData(10, 3, 2.0, 21)]
    [InlineData(1000, 7, 1.0, 16)]
    public void Integer_orders_match_a_direct_summation(long n, long m, double sigma, int alpha)
    {
        var direct = DirectBound((double)m / n, sigma, alpha);
        var actual = WithoutReplacementGaussianRdp.Epsilon(n, m, sigma, alpha);
        Assert.InRange(actual, direct * (1 - 1e-13), direct * (1 + 1e-9));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.5)]
    [InlineData(10)]
    public void Grows_with_the_sample_size_up_to_the_plain_gaussian(double sigma)
    {
        long[] sizes = [1, 2, 5, 10, 50, 100, 500, 999];
        foreach (var alpha in new[] { 1.5, 2, 2.5, 8, 32.7, 256, 300, 1024 })
        {
            var previous = 0.0;
            foreach (var m in sizes)
            {
                var epsilon = WithoutReplacementGaussianRdp.Epsilon(1000, m, sigma, alpha);
                var gaussian = GaussianRdp.Epsilon(sigma, alpha);
                // Strictly growing until the WBK bound reaches the Gaussian's, which caps it from there on.
                Assert.True(epsilon > previous || epsilon == gaussian, $"α={alpha}, m={m}: {epsilon} ≤ {previous}");
                Assert.True(epsilon <= gaussian, $"α={alpha}, m={m}: {epsilon} above the Gaussian's {gaussian}");
                previous = epsilon;
            }
        }
    }

    [Theory]
    [InlineData(1.1)]
    [InlineData(2)]
    [InlineData(7.5)]
    [InlineData(1024)]
    [InlineData(double.PositiveInfinity)]
    public void The_full_set_is_the_plain_gaussian(double alpha)
    {
        foreach (var sigma in new[] { 0.1, 1.0, 2.5, 1e4 })
        {
            Assert.Equal(GaussianRdp.Epsilon(sigma, alpha), WithoutReplacementGaussianRdp.Epsilon(1234, 1234, sigma, alpha));
            Assert.True(WithoutReplacementGaussianRdp.Epsilon(1234, 1234, sigma, alpha) >= alpha / (2 * sigma * sigma));
        }
    }

    [Fact]
    public void An_empty_sample_costs_nothing() =>
        Assert.Equal(0, WithoutReplacementGaussianRdp.Epsilon(1000, 0, 1.0, 8));

    [Fact]
    public void Infinite_order_is_infinite() =>
        Assert.Equal(double.PositiveInfinity, WithoutReplacementGaussianRdp.Epsilon(1000, 10, 1.0, double.PositiveInfinity));

    [Theory]
    [InlineData(1_000_000_000, 1)]
    [InlineData(1_000_000_000, 999_999_999)]
    [InlineData(1000, 10)]
    public void Extreme_parameters_stay_finite(long n, long m)
    {
        foreach (var sigma in new[] { 0.1, 1.0, 1e4 })
        {
            foreach (var alpha in new[] { 1.01, 2, 255.5, 256, 257, 1023.9, 1024 })
            {
                var epsilon = WithoutReplacementGaussianRdp.Epsilon(n, m, sigma, alpha);
                Assert.True(double.IsFinite(epsilon) && epsilon > 0, $"σ={sigma}, α={alpha}: {epsilon}");
            }
        }
    }

    // (α − 1)ε(α) is interpolated linearly, so ε(α) is a weighted mean of ε(⌊α⌋) and ε(⌈α⌉) — not necessarily
    // ≥ ε(⌊α⌋), since the integer-order bound is not proved monotone. Below 2 it is ε(2) (log A(1) = 0).
    [Theory]
    [InlineData(1000, 10, 2.5, 2.5)]
    [InlineData(1000, 10, 2.5, 37.25)]
    [InlineData(1000, 10, 0.7, 255.5)]
    [InlineData(1000, 10, 0.7, 256.5)]
    [InlineData(1000, 500, 10, 9.9)]
    public void Fractional_orders_lie_between_their_integer_neighbours(long n, long m, double sigma, double alpha)
    {
        var below = WithoutReplacementGaussianRdp.Epsilon(n, m, sigma, Math.Floor(alpha));
        var above = WithoutReplacementGaussianRdp.Epsilon(n, m, sigma, Math.Ceiling(alpha));
        var actual = WithoutReplacementGaussianRdp.Epsilon(n, m, sigma, alpha);
        Assert.InRange(actual, Math.Min(below, above) * (1 - 1e-14), Math.Max(below, above) * (1 + 1e-14));
    }

    [Theory]
    [InlineData(1.0001)]
    [InlineData(1.5)]
    [InlineData(1.999)]
    public void Orders_below_two_take_the_order_two_value(double alpha)
    {
        var atTwo = WithoutReplacementGaussianRdp.Epsilon(1000, 10, 2.5, 2);
        var actual = WithoutReplacementGaussianRdp.Epsilon(1000, 10, 2.5, alpha);
        Assert.InRange(actual, atTwo, atTwo * (1 + 1e-14));
    }

    [Theory]
    [InlineData(0, 0, 1.0, 2.0)]
    [InlineData(10, -1, 1.0, 2.0)]
    [InlineData(10, 11, 1.0, 2.0)]
    [InlineData(10, 1, 0.0, 2.0)]
    [InlineData(10, 1, double.NaN, 2.0)]
    [InlineData(10, 1, double.PositiveInfinity, 2.0)]
    [InlineData(10, 1, 1.0, 1.0)]
    [InlineData(10, 1, 1.0, double.NaN)]
    public void Rejects_invalid_arguments(long n, long m, double sigma, double alpha) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => WithoutReplacementGaussianRdp.Epsilon(n, m, sigma, alpha));
}
