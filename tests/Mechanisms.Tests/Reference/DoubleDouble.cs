using System.Numerics;

namespace Accounting.Mechanisms.Tests.Reference;

/// <summary>
/// An unevaluated sum Hi + Lo of two doubles with |Lo| ≤ ulp(Hi)/2: about 32 significant digits, the exponent range
/// of double. Test-only reference arithmetic; nothing here is tuned for speed.
/// </summary>
public readonly partial record struct DoubleDouble(double Hi, double Lo)
{
    /// <summary>Zero.</summary>
    public static DoubleDouble Zero => new(0, 0);

    /// <summary>One.</summary>
    public static DoubleDouble One => new(1, 0);

    /// <summary>The exact value of a double.</summary>
    public static DoubleDouble FromDouble(double value) => new(value, 0);

    /// <summary>A double converts exactly.</summary>
    public static implicit operator DoubleDouble(double value) => new(value, 0);

    /// <summary>An integer rounded to double-double: the leading double, then the rounded exact remainder.</summary>
    public static DoubleDouble FromBigInteger(BigInteger value)
    {
        var hi = (double)value;
        if (!double.IsFinite(hi))
        {
            return new(hi, 0);
        }
        // hi is an integer (|value| < 2^53 converts exactly), so the remainder is exact in BigInteger.
        var lo = (double)(value - new BigInteger(hi));
        var s = hi + lo;
        if (s != hi)
        {
            // hi was not the nearest double; re-split around the nearest one.
            hi = s;
            lo = (double)(value - new BigInteger(hi));
        }
        return Normalize(hi, lo);
    }

    /// <summary>Hi + Lo rounded to the nearest double.</summary>
    public double ToDouble() => Hi + Lo;

    /// <summary>Explicit narrowing to double.</summary>
    public static explicit operator double(DoubleDouble value) => value.ToDouble();

    /// <summary>Negation is exact.</summary>
    public static DoubleDouble operator -(DoubleDouble a) => new(-a.Hi, -a.Lo);

    /// <summary>Sum; Hida, Li, Bailey 2001 (QD library), "accurate" dd_add with two TwoSums.</summary>
    public static DoubleDouble operator +(DoubleDouble a, DoubleDouble b)
    {
        var (s1, s2) = TwoSum(a.Hi, b.Hi);
        if (!double.IsFinite(s1))
        {
            return new(s1, 0);
        }
        var (t1, t2) = TwoSum(a.Lo, b.Lo);
        s2 += t1;
        (s1, s2) = QuickTwoSum(s1, s2);
        s2 += t2;
        return Normalize(s1, s2);
    }

    /// <summary>Difference, as a sum with the negation.</summary>
    public static DoubleDouble operator -(DoubleDouble a, DoubleDouble b) => a + -b;

    /// <summary>Product; Dekker 1971 with the FMA form of TwoProd (QD library dd_mul).</summary>
    public static DoubleDouble operator *(DoubleDouble a, DoubleDouble b)
    {
        var (p1, p2) = TwoProd(a.Hi, b.Hi);
        if (!double.IsFinite(p1))
        {
            return new(p1, 0);
        }
        p2 += (a.Hi * b.Lo) + (a.Lo * b.Hi);
        return Normalize(p1, p2);
    }

    /// <summary>Quotient; QD library "accurate" dd_div: three quotient digits from long division.</summary>
    public static DoubleDouble operator /(DoubleDouble a, DoubleDouble b)
    {
        var q1 = a.Hi / b.Hi;
        if (!double.IsFinite(q1) || q1 == 0)
        {
            return new(q1, 0);
        }
        var r = a - (b * q1);
        var q2 = r.Hi / b.Hi;
        r -= b * q2;
        var q3 = r.Hi / b.Hi;
        return Normalize(q1, q2) + q3;
    }

    /// <summary>a × b exactly (TwoProd), e.g. σ² from a double σ.</summary>
    public static DoubleDouble ExactProduct(double a, double b)
    {
        var (p, e) = TwoProd(a, b);
        return new(p, e);
    }

    /// <summary>Multiplication by 2^n, exact barring underflow.</summary>
    public static DoubleDouble ScaleB(DoubleDouble a, int n) => new(Math.ScaleB(a.Hi, n), Math.ScaleB(a.Lo, n));

    /// <summary>Absolute value.</summary>
    public static DoubleDouble Abs(DoubleDouble a) => a.Hi < 0 ? -a : a;

    /// <summary>Knuth, TAOCP vol. 2, §4.2.2: s + e == a + b exactly.</summary>
    internal static (double S, double E) TwoSum(double a, double b)
    {
        var s = a + b;
        var bb = s - a;
        return (s, (a - (s - bb)) + (b - bb));
    }

    /// <summary>Dekker 1971 Fast2Sum, valid when |a| ≥ |b|.</summary>
    internal static (double S, double E) QuickTwoSum(double a, double b)
    {
        var s = a + b;
        return (s, b - (s - a));
    }

    /// <summary>p + e == a × b exactly (FMA recovers the rounding error; Hida, Li, Bailey 2001).</summary>
    internal static (double P, double E) TwoProd(double a, double b)
    {
        var p = a * b;
        return (p, Math.FusedMultiplyAdd(a, b, -p));
    }

    private static DoubleDouble Normalize(double hi, double lo)
    {
        var (s, e) = QuickTwoSum(hi, lo);
        return double.IsFinite(s) ? new(s, e) : new(s, 0);
    }
}
