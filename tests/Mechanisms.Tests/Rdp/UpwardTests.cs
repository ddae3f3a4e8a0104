using System.Numerics;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Mechanisms.Tests.Rdp;

public sealed class UpwardTests
{
    private const int Pairs = 10_000;

    // Random finite doubles with a full 52-bit fraction, random sign and a binary exponent in [-range, range]. The
    // ranges keep every exact result (and every dividend) in [2^-960, 2^903]: no overflow, and far enough above the
    // subnormals that the exact FMA/TwoSum residuals are representable (see the skipped tests for what happens below).
    private static double RandomDouble(Random random, int range, bool positive = false)
    {
        var fraction = random.NextInt64(1L << 52);
        var bits = (1023L << 52) | fraction; // a double in [1, 2)
        var x = Math.ScaleB(BitConverter.Int64BitsToDouble(bits), random.Next(-range, range + 1));
        return positive || random.Next(2) == 0 ? x : -x;
    }

    // Pairs that stress rounding: independent exponents, equal exponents (cancellation), near-negatives, and small
    // integers (exact results).
    private static IEnumerable<(double A, double B)> RandomPairs(int seed, int range, bool positiveB = false)
    {
        var random = new Random(seed);
        for (var i = 0; i < Pairs; i++)
        {
            var a = RandomDouble(random, range);
            var b = (i % 4) switch
            {
                0 => RandomDouble(random, range, positiveB),
                1 => Math.CopySign(Math.ScaleB(RandomDouble(random, 0, true), Math.ILogB(a)), positiveB ? 1 : RandomDouble(random, 0)),
                2 => positiveB ? Math.Abs(a) * (1 + Math.ScaleB(RandomDouble(random, 0, true), -random.Next(1, 60))) : -a * (1 + Math.ScaleB(RandomDouble(random, 0), -random.Next(1, 60))),
                _ => random.Next(1, 1000) * (positiveB ? 1 : RandomDouble(random, 0) > 0 ? 1 : -1),
            };
            if (i % 4 == 3)
            {
                a = random.Next(-1000, 1000);
            }
            yield return (a, b);
        }
    }

    // The upward-rounded result of an operation is the smallest double at or above the exact value: r ≥ exact and the
    // double just below r is < exact. Exact values are compared in BigInteger dyadic arithmetic (no rounding at all).
    private static void AssertIsCeiling(double r, Func<Dyadic, int> compareWithExact, string what)
    {
        Assert.True(double.IsFinite(r), what);
        Assert.True(compareWithExact(Dyadic.From(r)) >= 0, $"{what} = {r:R} is below the exact result");
        Assert.True(compareWithExact(Dyadic.From(Math.BitDecrement(r))) < 0, $"{what} = {r:R} is more than one ulp above the exact result");
    }

    [Fact]
    public void Add_is_the_exact_sum_rounded_up()
    {
        foreach (var (a, b) in RandomPairs(1, 900))
        {
            var exact = Dyadic.From(a) + Dyadic.From(b);
            AssertIsCeiling(Upward.Add(a, b), x => x.CompareTo(exact), $"{a:R} + {b:R}");
        }
    }

    [Fact]
    public void Add_is_the_exact_sum_rounded_up_down_to_the_subnormals()
    {
        // TwoSum is exact at any magnitude, so addition needs no safe range: operands in [2^-1080, 2^-1000], many of
        // them subnormal (ScaleB rounds those to the nearest multiple of 2^-1074).
        var random = new Random(4);
        for (var i = 0; i < Pairs; i++)
        {
            var a = Math.ScaleB(RandomDouble(random, 0), random.Next(-1080, -999));
            var b = Math.ScaleB(RandomDouble(random, 0), random.Next(-1080, -999));
            var exact = Dyadic.From(a) + Dyadic.From(b);
            AssertIsCeiling(Upward.Add(a, b), x => x.CompareTo(exact), $"{a:R} + {b:R}");
        }
    }

    [Fact]
    public void Curve_addition_rounds_every_element_up_as_the_sum_of_two_doubles_does()
    {
        // The curve sum runs four elements at a time where the hardware allows: every length, every lane, and the
        // values where one ulp up is not simply the next bit pattern of the same sign.
        double[] special =
        [
            double.PositiveInfinity, double.NegativeInfinity, double.NaN, 0.0, -0.0, double.MaxValue, -double.MaxValue,
            double.Epsilon, -double.Epsilon, 1.0, -1.0, Math.BitIncrement(1.0), -Math.BitIncrement(1.0),
        ];
        var random = new Random(9);
        var pairs = RandomPairs(8, 900).Concat(special.SelectMany(x => special.Select(y => (A: x, B: y)))).ToArray();
        for (var start = 0; start < pairs.Length;)
        {
            var length = Math.Min(random.Next(0, 38), pairs.Length - start);
            var chunk = pairs.AsSpan(start, length).ToArray();
            var sum = Upward.Add([.. chunk.Select(p => p.A)], [.. chunk.Select(p => p.B)]);
            double[] inPlace = [.. chunk.Select(p => p.A)]; // summed into its first operand, as a unit's delta is
            Upward.Add(inPlace, [.. chunk.Select(p => p.B)], inPlace);
            for (var i = 0; i < length; i++)
            {
                var (a, b) = chunk[i];
                Assert.Equal(BitConverter.DoubleToInt64Bits(Upward.Add(a, b)), BitConverter.DoubleToInt64Bits(sum[i]));
                Assert.Equal(BitConverter.DoubleToInt64Bits(sum[i]), BitConverter.DoubleToInt64Bits(inPlace[i]));
                if (sum[i] is > -double.MaxValue and < double.PositiveInfinity && double.IsFinite(a) && double.IsFinite(b)) // the ceiling check needs the double below
                {
                    var exact = Dyadic.From(a) + Dyadic.From(b);
                    AssertIsCeiling(sum[i], x => x.CompareTo(exact), $"{a:R} + {b:R}");
                }
            }
            start += length;
        }
    }

    [Fact]
    public void Multiply_is_the_exact_product_rounded_up()
    {
        foreach (var (a, b) in RandomPairs(2, 480))
        {
            var exact = Dyadic.From(a) * Dyadic.From(b);
            AssertIsCeiling(Upward.Multiply(a, b), x => x.CompareTo(exact), $"{a:R} × {b:R}");
        }
    }

    [Fact]
    public void Divide_is_the_exact_quotient_rounded_up()
    {
        foreach (var (a, b) in RandomPairs(3, 480, positiveB: true))
        {
            // r ≥ a/b ⇔ r·b ≥ a for b > 0, compared exactly.
            var da = Dyadic.From(a);
            var db = Dyadic.From(b);
            AssertIsCeiling(Upward.Divide(a, b), x => (x * db).CompareTo(da), $"{a:R} / {b:R}");
        }
    }

    [Theory]
    [InlineData(0.1, 0.2)]
    [InlineData(1, 1.1102230246251565e-16)]   // 1 + 2^-53: a tie, rounded to nearest it would be 1
    [InlineData(1, -5.551115123125783e-17)]   // 1 − 2^-54: rounded to nearest it is 1, which is above
    [InlineData(1e308, -1e308)]
    [InlineData(5e-324, 5e-324)]
    public void Add_edge_cases_are_rounded_up(double a, double b)
    {
        var exact = Dyadic.From(a) + Dyadic.From(b);
        AssertIsCeiling(Upward.Add(a, b), x => x.CompareTo(exact), $"{a:R} + {b:R}");
    }

    [Theory]
    [InlineData(0.1, 3)]
    [InlineData(1.0 / 3, 3)]
    public void Multiply_edge_cases_are_rounded_up(double a, double b)
    {
        var exact = Dyadic.From(a) * Dyadic.From(b);
        AssertIsCeiling(Upward.Multiply(a, b), x => x.CompareTo(exact), $"{a:R} × {b:R}");
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(1, 10)]
    [InlineData(2, 3)]
    [InlineData(1e-300, 3)]
    public void Divide_edge_cases_are_rounded_up(double a, double b) =>
        AssertIsCeiling(Upward.Divide(a, b), x => (x * Dyadic.From(b)).CompareTo(Dyadic.From(a)), $"{a:R} / {b:R}");

    [Fact]
    public void Overflow_goes_to_positive_infinity()
    {
        Assert.Equal(double.PositiveInfinity, Upward.Add(double.MaxValue, double.MaxValue));
        Assert.Equal(double.PositiveInfinity, Upward.Multiply(1e200, 1e200));
        Assert.Equal(double.PositiveInfinity, Upward.Divide(1e300, 1e-300));
        Assert.Equal(double.PositiveInfinity, Upward.Add(double.PositiveInfinity, 1));
    }

    [Fact]
    public void No_use_of_an_unbounded_mechanism_costs_nothing()
    {
        // Documented: 0 × ∞ is taken as 0.
        Assert.Equal(0, Upward.Multiply(double.PositiveInfinity, 0));
        Assert.Equal(0, Upward.Multiply(0, double.PositiveInfinity));
    }

    [Fact]
    public void Ulps_moves_up_by_whole_units_in_the_last_place()
    {
        Assert.Equal(1 + (3 * Math.ScaleB(1, -52)), Upward.Ulps(1, 3));
        Assert.Equal(2 * double.Epsilon, Upward.Ulps(0, 2));
        Assert.Equal(double.PositiveInfinity, Upward.Ulps(double.MaxValue, 2));
    }

    [Theory]
    [InlineData(2e-154, 2e-154)]
    [InlineData(3 * double.Epsilon, 1.1)]
    public void Multiply_is_not_rounded_down_for_tiny_products(double a, double b)
    {
        var exact = Dyadic.From(a) * Dyadic.From(b);
        AssertIsCeiling(Upward.Multiply(a, b), x => x.CompareTo(exact), $"{a:R} × {b:R}");
    }

    [Theory]
    [InlineData(4.0792942811998257e-305, 1761.6198835372347)]
    [InlineData(double.Epsilon, 0.75)]
    public void Divide_is_not_rounded_down_for_tiny_dividends(double a, double b) =>
        AssertIsCeiling(Upward.Divide(a, b), x => (x * Dyadic.From(b)).CompareTo(Dyadic.From(a)), $"{a:R} / {b:R}");

    /// <summary>An exact binary rational Mantissa · 2^Exponent; every finite double is one.</summary>
    private readonly record struct Dyadic(BigInteger Mantissa, int Exponent) : IComparable<Dyadic>
    {
        public static Dyadic From(double x)
        {
            if (!double.IsFinite(x))
            {
                throw new ArgumentOutOfRangeException(nameof(x), x, "finite doubles only");
            }
            var bits = BitConverter.DoubleToInt64Bits(x);
            var biased = (int)((bits >> 52) & 0x7FF);
            var fraction = bits & ((1L << 52) - 1);
            BigInteger mantissa = biased == 0 ? fraction : fraction | (1L << 52);
            var exponent = biased == 0 ? -1074 : biased - 1075;
            return new(bits < 0 ? -mantissa : mantissa, exponent);
        }

        public static Dyadic operator +(Dyadic a, Dyadic b)
        {
            var e = Math.Min(a.Exponent, b.Exponent);
            return new((a.Mantissa << (a.Exponent - e)) + (b.Mantissa << (b.Exponent - e)), e);
        }

        public static Dyadic operator *(Dyadic a, Dyadic b) => new(a.Mantissa * b.Mantissa, a.Exponent + b.Exponent);

        public int CompareTo(Dyadic other)
        {
            var e = Math.Min(Exponent, other.Exponent);
            return (Mantissa << (Exponent - e)).CompareTo(other.Mantissa << (other.Exponent - e));
        }
    }
}
