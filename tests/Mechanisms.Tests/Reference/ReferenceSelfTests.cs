using System.Numerics;

namespace Accounting.Mechanisms.Tests.Reference;

/// <summary>The reference checks itself: double-double against known constants, and two independent RDP routes.</summary>
public sealed class ReferenceSelfTests
{
    // Constants to 60 digits from mpmath 1.3.0, split into two doubles.
    private static readonly DoubleDouble E = new(2.718281828459045, 1.4456468917292502e-16);
    private static readonly DoubleDouble Ln2 = new(0.6931471805599453, 2.3190468138462996e-17);

    public static TheoryData<double, double, int> Grid()
    {
        var data = new TheoryData<double, double, int>();
        foreach (var q in new[] { 1e-4, 0.01, 0.5, 1 })
        {
            foreach (var sigma in new[] { 0.5, 1, 2.5, 100 })
            {
                foreach (var alpha in new[] { 2, 3, 10, 32, 256 })
                {
                    data.Add(q, sigma, alpha);
                }
            }
        }
        return data;
    }

    // Fractional orders: ε from mpmath 1.3.0 quad of the same expectation at 40–90 digits (independent of this code).
    public static TheoryData<double, double, double, double> Fractional() => new()
    {
        { 0.01, 1, 2.5, 2.1757533228188046173e-4 },
        { 0.5, 0.5, 7.3, 13.796829457459587546 },
        { 0.01, 2, 33.7, 5.3302227298020810959e-4 },
        { 1e-9, 0.1, 1.5, 12.833473121832759746 },
        { 1e-9, 1e4, 1.01, 5.0500000252500007076e-27 },
        { 0.02, 0.8, 64.5, 46.416995333069042918 },
    };

    [Fact]
    public void Exp_and_log_match_constants()
    {
        AssertClose(E, DoubleDouble.Exp(1), 1e-31);
        AssertClose(Ln2, DoubleDouble.Log(2), 1e-31);
        AssertClose(-Ln2, DoubleDouble.Log(0.5), 1e-31);
        AssertClose(Ln2, DoubleDouble.Log1p(1), 1e-31);
        AssertClose(E * E, DoubleDouble.Pow(E, 2), 1e-30);
    }

    [Fact]
    public void Expm1_and_log1p_keep_relative_precision_near_zero()
    {
        const double x = 1e-20;
        var square = DoubleDouble.ScaleB(DoubleDouble.ExactProduct(x, x), -1);
        // e^x − 1 = x + x²/2 + O(x³), log(1+x) = x − x²/2 + O(x³): x³ is 1e-40 of x.
        AssertClose(x + square, DoubleDouble.Expm1(x), 1e-31);
        AssertClose(x - square, DoubleDouble.Log1p(x), 1e-31);
    }

    [Theory]
    [InlineData(-650.25)]
    [InlineData(-3.5)]
    [InlineData(1e-10)]
    [InlineData(0.75)]
    [InlineData(123.456)]
    [InlineData(709)]
    public void Exp_and_log_invert_each_other(double x)
    {
        var y = new DoubleDouble(x, x * 1e-17);
        // Log near 1 is accurate to 1e-32 absolutely, not relatively; Log1p ∘ Expm1 is the relative round trip
        // (except far left, where e^x − 1 = −1 + e^x needs more than 106 bits).
        AssertClose(y, DoubleDouble.Log(DoubleDouble.Exp(y)), 1e-30 * Math.Max(1, 1 / Math.Abs(x)));
        if (x > -30)
        {
            AssertClose(y, DoubleDouble.Log1p(DoubleDouble.Expm1(y)), 1e-30);
        }
        AssertClose(y, DoubleDouble.Exp(DoubleDouble.Log(DoubleDouble.Abs(y))) * Math.Sign(x), 1e-30);
    }

    [Fact]
    public void Arithmetic_is_double_double_accurate()
    {
        var third = DoubleDouble.One / 3;
        AssertClose(DoubleDouble.One, third * 3, 1e-32);
        AssertClose(DoubleDouble.Zero + 1e-20, (DoubleDouble.One + 1e-20) - DoubleDouble.One, 1e-32);
        // 10^30 needs 70 significant bits: exact in double-double.
        var big = BigInteger.Pow(10, 30);
        var dd = DoubleDouble.FromBigInteger(big);
        Assert.Equal(big, new BigInteger(dd.Hi) + new BigInteger(dd.Lo));
    }

    [Fact]
    public void Gauss_legendre_rule_is_exact_to_degree_39()
    {
        var sumWeights = DoubleDouble.Zero;
        var moment = DoubleDouble.Zero;
        for (var i = 0; i < GaussLegendre.Order; i++)
        {
            var x = GaussLegendre.Nodes[i];
            var power = DoubleDouble.One;
            for (var k = 0; k < 38; k++)
            {
                power *= x;
            }
            sumWeights += GaussLegendre.Weights[i];
            moment += GaussLegendre.Weights[i] * power;
        }
        AssertClose(2, sumWeights, 1e-31);
        AssertClose(DoubleDouble.FromDouble(2) / 39, moment, 1e-30);
    }

    [Fact]
    public void Published_integer_order_value()
    {
        // autodp test table: order 2, q = 0.01, σ = 1.
        AssertRelative(1.7181342207453428e-4, ReferenceRdp.IntegerOrder(0.01, 1, 2), 1e-12);
        AssertRelative(1.7181342207453428e-4, ReferenceRdp.Quadrature(0.01, 1, 2), 1e-12);
    }

    [Fact]
    public void Order_two_closed_form_with_tiny_a_minus_one()
    {
        // A_2 = 1 + q²(e^(1/σ²) − 1) (the binomial expansion of Mironov, Talwar, Zhang 2019, §3, at α = 2); here A − 1 ≈ 1e-12.
        const double q = 1e-4;
        const double sigma = 100;
        var expected = DoubleDouble.Log1p(DoubleDouble.ExactProduct(q, q) * DoubleDouble.Expm1(1 / DoubleDouble.ExactProduct(sigma, sigma)));
        AssertClose(expected, ReferenceRdp.IntegerOrderDoubleDouble(q, sigma, 2), 1e-28);
        AssertClose(expected, ReferenceRdp.QuadratureDoubleDouble(q, sigma, 2), 1e-26);
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public void Integer_order_and_quadrature_agree(double q, double sigma, int alpha)
    {
        var exact = ReferenceRdp.IntegerOrderDoubleDouble(q, sigma, alpha);
        AssertClose(exact, ReferenceRdp.QuadratureDoubleDouble(q, sigma, alpha), 1e-12);
    }

    [Theory]
    [MemberData(nameof(Fractional))]
    public void Quadrature_matches_independent_high_precision_values(double q, double sigma, double alpha, double expected)
    {
        AssertRelative(expected, ReferenceRdp.Quadrature(q, sigma, alpha), 1e-13);
    }

    [Fact]
    public void Large_order_does_not_overflow()
    {
        // log A_1024 ≈ 2e6 at σ = 0.5; ε from mpmath's exact binomial sum at 60 digits.
        const double expected = 2038.78065636275307;
        AssertRelative(expected, ReferenceRdp.IntegerOrder(1e-4, 0.5, 1024), 1e-14);
        AssertRelative(expected, ReferenceRdp.Quadrature(1e-4, 0.5, 1024), 1e-14);
    }

    [Theory]
    [InlineData(0.5, 2)]
    [InlineData(1, 3)]
    [InlineData(2.5, 32)]
    [InlineData(100, 256)]
    public void Full_sampling_is_the_gaussian(double sigma, int alpha)
    {
        var gaussian = alpha / (2 * sigma * sigma);
        AssertRelative(gaussian, ReferenceRdp.IntegerOrder(1, sigma, alpha), 1e-15);
        AssertRelative(gaussian, ReferenceRdp.Quadrature(1, sigma, alpha + 0.5) * alpha / (alpha + 0.5), 1e-15);
        // Just below q = 1 the general route must approach the same limit: ε = α/(2σ²) + α·log q/(α−1) + O((1−q)).
        AssertRelative(gaussian, ReferenceRdp.IntegerOrder(1 - 1e-12, sigma, alpha), 1e-9);
    }

    [Fact]
    public void No_sampling_costs_nothing() => Assert.Equal(0, ReferenceRdp.Quadrature(0, 1, 2.5));

    [Fact]
    public void Epsilon_grows_with_order()
    {
        var previous = 0.0;
        foreach (var alpha in new[] { 1.5, 2, 2.5, 3, 4.75 })
        {
            var current = ReferenceRdp.Quadrature(0.01, 1, alpha);
            Assert.True(current > previous, $"ε({alpha}) = {current} ≤ {previous}");
            previous = current;
        }
    }

    [Fact]
    public void Invalid_arguments_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReferenceRdp.Quadrature(-0.1, 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReferenceRdp.Quadrature(0.1, 0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReferenceRdp.Quadrature(0.1, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReferenceRdp.IntegerOrder(0.1, 1, 1));
    }

    private static void AssertClose(DoubleDouble expected, DoubleDouble actual, double relative)
    {
        var error = DoubleDouble.Abs(actual - expected).ToDouble();
        var scale = DoubleDouble.Abs(expected).ToDouble();
        Assert.True(error <= relative * scale, $"expected {expected}, got {actual}: error {error:E3} > {relative:E1} × {scale:E3}");
    }

    private static void AssertRelative(double expected, double actual, double relative) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");
}
