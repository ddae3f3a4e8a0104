using System.Runtime.Intrinsics;

namespace Accounting.Mechanisms.Rdp;

/// <summary>
/// Arithmetic rounded towards +∞, so that composing costs never rounds a privacy loss down. The rounding error of a
/// sum or product is recovered exactly (Knuth's TwoSum; the FMA residual) and, when positive, the result moves up one ulp.
/// </summary>
public static class Upward
{
    /// <summary>a + b rounded up.</summary>
    public static double Add(double a, double b)
    {
        var s = a + b;
        if (!double.IsFinite(s))
        {
            return s;
        }
        // Knuth, TAOCP vol. 2, §4.2.2: s + err == a + b exactly.
        var bb = s - a;
        var err = (a - (s - bb)) + (b - bb);
        return err > 0 ? Math.BitIncrement(s) : s;
    }

    // The exact residual of a product or quotient is a multiple of the operands' last-bit weights; when that weight is
    // below the least subnormal (2^-1074) an FMA residual of 0 no longer proves exactness. A nonzero residual always
    // has the right sign.
    private const int LeastExponent = -1074;

    /// <summary>a + b element by element, each sum rounded up (curve composition).</summary>
    public static double[] Add(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = new double[a.Length];
        Add(a, b, sum);
        return sum;
    }

    /// <summary>
    /// a + b element by element into <paramref name="sum"/>, each sum rounded up; <paramref name="sum"/> may be
    /// <paramref name="a"/> itself (each element is read before it is written).
    /// </summary>
    public static void Add(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> sum)
    {
        if (a.Length != b.Length || sum.Length != a.Length)
        {
            throw new ArgumentException("curves of different lengths cannot be added", nameof(b));
        }
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= sum.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                Add(Vector256.Create(a[i..]), Vector256.Create(b[i..])).CopyTo(sum[i..]);
            }
        }
        for (; i < sum.Length; i++)
        {
            sum[i] = Add(a[i], b[i]);
        }
    }

    // Add on four lanes at once. TwoSum's error is NaN when the sum is infinite or NaN, and NaN is not above 0, so those
    // sums stay as they are; a sum with a positive error is not 0 (an exact cancellation has none), and one ulp up from
    // it is the next bit pattern when it is positive and the one before when it is negative.
    private static Vector256<double> Add(Vector256<double> a, Vector256<double> b)
    {
        var s = a + b;
        var bb = s - a;
        var err = (a - (s - bb)) + (b - bb);
        var up = Vector256.GreaterThan(err, Vector256<double>.Zero).AsInt64();
        var step = Vector256.LessThan(s, Vector256<double>.Zero).AsInt64() | Vector256<long>.One; // −1 or +1
        return Vector256.ConditionalSelect(up, s.AsInt64() + step, s.AsInt64()).AsDouble();
    }

    /// <summary>a × b rounded up; 0 × ∞ is taken as 0 (no use of a mechanism costs nothing).</summary>
    public static double Multiply(double a, double b)
    {
        if (a == 0 || b == 0)
        {
            return 0;
        }
        var p = a * b;
        if (!double.IsFinite(p))
        {
            return p;
        }
        var residual = Math.FusedMultiplyAdd(a, b, -p);
        var exact = LastBit(a) + LastBit(b) >= LeastExponent;
        return residual > 0 || (residual == 0 && !exact) ? Math.BitIncrement(p) : p;
    }

    /// <summary>a × n rounded up, with n converted to double upwards (counts above 2^53 are not all doubles).</summary>
    public static double Multiply(double a, long n)
    {
        double m = n;
        if (m < 9.2e18 && (long)m < n)
        {
            m = Math.BitIncrement(m);
        }
        return Multiply(a, m);
    }

    /// <summary>a / b rounded up, for b &gt; 0.</summary>
    public static double Divide(double a, double b)
    {
        var q = a / b;
        if (!double.IsFinite(q))
        {
            return q;
        }
        if (a == 0)
        {
            return 0;
        }
        // q·b − a recovered by FMA: negative means q is below the true quotient.
        var residual = Math.FusedMultiplyAdd(q, b, -a);
        var exact = Math.Min(LastBit(q) + LastBit(b), LastBit(a)) >= LeastExponent;
        return residual < 0 || (residual == 0 && !exact) ? Math.BitIncrement(q) : q;
    }

    /// <summary>
    /// x moved up by <paramref name="ulps"/> units in the last place: the margin for a closed form of a few
    /// correctly rounded (or 1-ulp) operations, each of which may have rounded down.
    /// </summary>
    public static double Ulps(double x, int ulps)
    {
        for (var i = 0; i < ulps && double.IsFinite(x); i++)
        {
            x = Math.BitIncrement(x);
        }
        return x;
    }

    // The exponent of the weight of x's lowest set significand bit (x finite and nonzero).
    private static int LastBit(double x)
    {
        var bits = BitConverter.DoubleToInt64Bits(x);
        var biased = (int)((bits >> 52) & 0x7FF);
        var significand = bits & 0xF_FFFF_FFFF_FFFFL;
        // Normal numbers carry the implicit leading bit; subnormals have the least exponent.
        return biased == 0
            ? LeastExponent + System.Numerics.BitOperations.TrailingZeroCount(significand)
            : biased - 1075 + System.Numerics.BitOperations.TrailingZeroCount(significand | (1L << 52));
    }
}
