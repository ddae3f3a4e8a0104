using Accounting.Mechanisms.Numerics;
using Accounting.Mechanisms.Tests.Reference;

namespace Accounting.Mechanisms.Tests.Numerics;

public sealed class LogSpaceTests
{
    // Tolerance for every function: 1e-15 relative, i.e. 4.5 ulps at the top of a binade and 9 at the bottom. The
    // double-double references are good to ≈ 1e-30, so any error seen is the production's.
    private const double Tolerance = 1e-15;

    private const int RandomPoints = 2_000;

    private static void AssertClose(DoubleDouble reference, double actual, string what, double tolerance = Tolerance)
    {
        var expected = reference.ToDouble();
        if (expected == 0 || double.IsInfinity(expected))
        {
            Assert.Equal(expected, actual);
            return;
        }
        var relative = ((DoubleDouble)actual - reference).ToDouble() / expected;
        Assert.True(Math.Abs(relative) <= tolerance, $"{what}: {actual:R} vs {reference}, relative {relative:E3}");
    }

    // |x| log-uniform in [10^lo, 10^hi], random sign unless positive.
    private static IEnumerable<double> LogUniform(int seed, double lo, double hi, bool positive)
    {
        var random = new Random(seed);
        for (var i = 0; i < RandomPoints; i++)
        {
            var x = Math.Pow(10, lo + ((hi - lo) * random.NextDouble()));
            yield return positive || random.Next(2) == 0 ? x : -x;
        }
    }

    // log(1 + x), in double-double; log1p(x) ≈ x − x²/2 keeps relative precision near 0 (DoubleDouble.Log1p).
    private static DoubleDouble Log1pReference(double x) => DoubleDouble.Log1p(x);

    [Theory]
    [InlineData(1e-300)]
    [InlineData(-1e-300)]
    [InlineData(1e-20)]
    [InlineData(-1e-20)]
    [InlineData(1e-8)]
    [InlineData(0.4999999999999999)]
    [InlineData(0.5)]
    [InlineData(-0.5)]
    [InlineData(-0.5000000000000001)]
    [InlineData(-0.9999999)]
    [InlineData(0.75)]
    [InlineData(1)]
    [InlineData(700)]
    [InlineData(1e15)]
    [InlineData(1e300)]
    public void Log1p_is_accurate(double x) => AssertClose(Log1pReference(x), LogSpace.Log1p(x), $"log1p({x:R})");

    [Fact]
    public void Log1p_is_accurate_over_a_wide_range()
    {
        foreach (var x in LogUniform(11, -300, 0, positive: false).Concat(LogUniform(12, 0, 300, positive: true)))
        {
            if (x > -1)
            {
                AssertClose(Log1pReference(x), LogSpace.Log1p(x), $"log1p({x:R})");
            }
        }
    }

    [Fact]
    public void Log1p_of_minus_one_is_minus_infinity_and_zero_is_exact()
    {
        Assert.Equal(double.NegativeInfinity, LogSpace.Log1p(-1));
        Assert.Equal(0, LogSpace.Log1p(0));
        Assert.Equal(double.PositiveInfinity, LogSpace.Log1p(double.PositiveInfinity));
    }

    [Theory]
    [InlineData(1e-300)]
    [InlineData(-1e-300)]
    [InlineData(1e-20)]
    [InlineData(-1e-20)]
    [InlineData(1e-8)]
    [InlineData(0.4999999999999999)]
    [InlineData(-0.4999999999999999)]
    [InlineData(0.5)]
    [InlineData(-0.5)]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(-40)]
    [InlineData(700)]
    [InlineData(-700)]
    [InlineData(709)]
    public void Expm1_is_accurate(double x) => AssertClose(DoubleDouble.Expm1(x), LogSpace.Expm1(x), $"expm1({x:R})");

    [Fact]
    public void Expm1_is_accurate_over_a_wide_range()
    {
        foreach (var x in LogUniform(21, -300, Math.Log10(709), positive: false))
        {
            AssertClose(DoubleDouble.Expm1(x), LogSpace.Expm1(x), $"expm1({x:R})");
        }
    }

    // e^x − 1 − x in double-double: the Taylor series Σ_{k≥2} x^k/k! for |x| < 0.5 (DoubleDouble.Expm1(x) − x would
    // lose log10(2/|x|) digits to cancellation, 20 of them at x = 1e-20), and expm1(x) − x beyond, where at most
    // half a digit cancels.
    private static DoubleDouble Expm1MinusXReference(double x)
    {
        if (Math.Abs(x) >= 0.5)
        {
            return DoubleDouble.Expm1(x) - x;
        }
        DoubleDouble term = DoubleDouble.ScaleB(DoubleDouble.ExactProduct(x, x), -1);
        var sum = term;
        for (var k = 3; k < 60 && Math.Abs(term.Hi) > 1e-34 * Math.Abs(sum.Hi); k++)
        {
            term = term * x / k;
            sum += term;
        }
        return sum;
    }

    // Expm1MinusX near x = −0.5: e^x − 1 − x = 0.107 is computed as expm1(x) − x with |expm1(x)| = 0.39, so the
    // error of exp (≈ 0.5 ulp of 0.61, 5.6e-17 absolute) grows 3.7-fold relative to the result: ≈ 5e-16, still inside
    // the common 1e-15 (the largest seen over 2·10^5 points of [−1, −0.5] was 5.2e-16).
    private const double Expm1MinusXTolerance = Tolerance;

    [Theory]
    [InlineData(1e-150)]
    [InlineData(-1e-150)]
    [InlineData(1e-20)]
    [InlineData(-1e-20)]
    [InlineData(1e-8)]
    [InlineData(0.1)]
    [InlineData(0.4999999999999999)]
    [InlineData(-0.4999999999999999)]
    [InlineData(0.5)]
    [InlineData(-0.5)]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(-40)]
    [InlineData(700)]
    [InlineData(-700)]
    [InlineData(-1e6)]
    public void Expm1_minus_x_is_accurate(double x) =>
        AssertClose(Expm1MinusXReference(x), LogSpace.Expm1MinusX(x), $"expm1mx({x:R})", Expm1MinusXTolerance);

    [Fact]
    public void Expm1_minus_x_is_accurate_over_a_wide_range()
    {
        // |x| ≥ 1e-150 so that x²/2 is a normal double.
        foreach (var x in LogUniform(31, -150, Math.Log10(700), positive: false))
        {
            AssertClose(Expm1MinusXReference(x), LogSpace.Expm1MinusX(x), $"expm1mx({x:R})", Expm1MinusXTolerance);
        }
    }

    [Fact]
    public void Expm1_minus_x_is_never_negative()
    {
        foreach (var x in LogUniform(32, -300, 3, positive: false))
        {
            Assert.True(LogSpace.Expm1MinusX(x) >= 0, $"expm1mx({x:R}) < 0");
        }
    }

    // log(e^a + e^b), literally in double-double after shifting both by the same integer c (exact): the shift keeps
    // e^(a − c) in range when a is near ±1000.
    private static DoubleDouble AddReference(double a, double b)
    {
        if (double.IsNegativeInfinity(a) && double.IsNegativeInfinity(b))
        {
            return double.NegativeInfinity;
        }
        var c = Math.Round(Math.Max(a, b));
        var ea = double.IsNegativeInfinity(a) ? DoubleDouble.Zero : DoubleDouble.Exp((DoubleDouble)a - c);
        var eb = double.IsNegativeInfinity(b) ? DoubleDouble.Zero : DoubleDouble.Exp((DoubleDouble)b - c);
        return DoubleDouble.Log(ea + eb) + c;
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 2)]
    [InlineData(2, 1)]
    [InlineData(-1000, -1000.5)]
    [InlineData(700, 700)]
    [InlineData(700, 0)]
    [InlineData(1e-20, 1e-20)]
    [InlineData(-745, -746)]
    [InlineData(5, -40)]
    [InlineData(0.5, -0.5)]
    [InlineData(5, double.NegativeInfinity)]
    [InlineData(double.NegativeInfinity, -3)]
    [InlineData(double.NegativeInfinity, double.NegativeInfinity)]
    public void Add_is_accurate(double a, double b) =>
        AssertClose(AddReference(a, b), LogSpace.Add(a, b), $"add({a:R}, {b:R})");

    [Fact]
    public void Add_is_accurate_over_a_wide_range()
    {
        // Log-sum-exp is ill-conditioned where the result crosses 0 (e.g. a = b = −log 2): an input rounding of
        // ulp(a)/2 moves the result by as much. So the error is measured against max(|result|, |a|, |b|), still 1e-15.
        var random = new Random(41);
        for (var i = 0; i < RandomPoints; i++)
        {
            var a = (2000 * random.NextDouble()) - 1000;
            var b = i % 2 == 0 ? (2000 * random.NextDouble()) - 1000 : a + ((80 * random.NextDouble()) - 40);
            var reference = AddReference(a, b);
            var actual = LogSpace.Add(a, b);
            var scale = Math.Max(Math.Abs(reference.ToDouble()), Math.Max(Math.Abs(a), Math.Abs(b)));
            var error = Math.Abs(((DoubleDouble)actual - reference).ToDouble());
            Assert.True(error <= Tolerance * scale, $"add({a:R}, {b:R}) = {actual:R} vs {reference}: error {error:E3}");
        }
    }

    // log(1 + e^x): log1p(e^x) for x ≤ 0 and x + log1p(e^−x) for x > 0, in double-double.
    private static DoubleDouble Log1pExpReference(double x) =>
        x <= 0
            ? DoubleDouble.Log1p(DoubleDouble.Exp(x))
            : x + DoubleDouble.Log1p(DoubleDouble.Exp(-x));

    [Theory]
    [InlineData(-700)]
    [InlineData(-40)]
    [InlineData(-1)]
    [InlineData(-1e-20)]
    [InlineData(0)]
    [InlineData(1e-20)]
    [InlineData(0.5)]
    [InlineData(-0.5)]
    [InlineData(1)]
    [InlineData(20)]
    [InlineData(36)]
    [InlineData(36.000000000000007)]
    [InlineData(37)]
    [InlineData(100)]
    [InlineData(700)]
    [InlineData(1e10)]
    [InlineData(1e300)]
    public void Log1p_exp_is_accurate(double x) => AssertClose(Log1pExpReference(x), LogSpace.Log1pExp(x), $"log1pexp({x:R})");

    [Fact]
    public void Log1p_exp_is_accurate_over_a_wide_range()
    {
        var random = new Random(51);
        for (var i = 0; i < RandomPoints; i++)
        {
            var x = (1400 * random.NextDouble()) - 700;
            AssertClose(Log1pExpReference(x), LogSpace.Log1pExp(x), $"log1pexp({x:R})");
        }
        Assert.Equal(0, LogSpace.Log1pExp(-800)); // e^−800 is below the smallest subnormal
    }

    // log(1 − e^x) for x < 0: log(−expm1(x)) near 0 and log1p(−e^x) further left, in double-double.
    private static DoubleDouble Log1mExpReference(double x) =>
        x > -1
            ? DoubleDouble.Log(-DoubleDouble.Expm1(x))
            : DoubleDouble.Log1p(-DoubleDouble.Exp(x));

    [Theory]
    [InlineData(-1e-300)]
    [InlineData(-1e-20)]
    [InlineData(-1e-10)]
    [InlineData(-0.5)]
    [InlineData(-0.6931471805599453)]
    [InlineData(-0.6931471805599454)]
    [InlineData(-0.7)]
    [InlineData(-1)]
    [InlineData(-10)]
    [InlineData(-40)]
    [InlineData(-700)]
    public void Log1m_exp_is_accurate(double x) => AssertClose(Log1mExpReference(x), LogSpace.Log1mExp(x), $"log1mexp({x:R})");

    [Fact]
    public void Log1m_exp_is_accurate_over_a_wide_range()
    {
        foreach (var x in LogUniform(61, -300, Math.Log10(700), positive: true))
        {
            AssertClose(Log1mExpReference(-x), LogSpace.Log1mExp(-x), $"log1mexp({-x:R})");
        }
    }

    [Fact]
    public void Log1m_exp_of_zero_is_minus_infinity() => Assert.Equal(double.NegativeInfinity, LogSpace.Log1mExp(0));
}
