namespace Accounting.Mechanisms.Tests.Reference;

/// <summary>Elementary functions in the manner of the QD library (Hida, Li, Bailey 2001): reduction, series, Newton.</summary>
public readonly partial record struct DoubleDouble
{
    // ln 2 split into three doubles (60-digit mpmath value), so k·ln 2 stays exact enough for |k| ≤ 1100.
    private const double Ln2A = 0.6931471805599453;
    private const double Ln2B = 2.3190468138462996e-17;
    private const double Ln2C = 5.707708438416212e-34;

    // Reduced arguments are divided by 2^10 before the series and squared back (QD's exp reduction).
    private const int HalvingSteps = 10;

    /// <summary>ln 2 to double-double precision.</summary>
    public static DoubleDouble Ln2 => new(Ln2A, Ln2B);

    /// <summary>e^x; x = k·ln 2 + r, e^r from <see cref="Expm1Core"/>, then scaled by 2^k (QD dd_exp).</summary>
    public static DoubleDouble Exp(DoubleDouble x)
    {
        if (x.Hi > 709.8)
        {
            return new(double.PositiveInfinity, 0);
        }
        if (x.Hi < -745.2)
        {
            return Zero;
        }
        var k = Math.Round(x.Hi / Ln2A);
        // r = x − k·ln 2 peeled off term by term, so each DD rounding is relative to |r| ≤ 0.35, not to |x| ≈ 700.
        var (a, ae) = TwoProd(k, Ln2A);
        var (b, be) = TwoProd(k, Ln2B);
        var (r0, r0e) = TwoSum(x.Hi, -a);
        var r = new DoubleDouble(r0, r0e) + x.Lo - ae - b - be - (k * Ln2C);
        return ScaleB(One + Expm1Core(r), (int)k);
    }

    /// <summary>e^x − 1 without cancellation near 0 (series with argument halving) and e^x − 1 elsewhere.</summary>
    public static DoubleDouble Expm1(DoubleDouble x) => Math.Abs(x.Hi) <= 1 ? Expm1Core(x) : Exp(x) - One;

    /// <summary>Natural log; x = 2^e·m with m ∈ [√½, √2), two Newton steps y ← y + m·e^(−y) − 1 (QD dd_log).</summary>
    public static DoubleDouble Log(DoubleDouble x)
    {
        if (!(x.Hi > 0))
        {
            return new(x.Hi == 0 ? double.NegativeInfinity : double.NaN, 0);
        }
        if (double.IsPositiveInfinity(x.Hi))
        {
            return x;
        }
        var e = Math.ILogB(x.Hi);
        var m = ScaleB(x, -e);
        if (m.Hi > Math.Sqrt(2))
        {
            m = ScaleB(m, -1);
            e++;
        }
        DoubleDouble y = Math.Log(m.Hi);
        for (var i = 0; i < 2; i++)
        {
            y = y + (m * Exp(-y)) - One;
        }
        return MultiplyLn2(e) + y;
    }

    /// <summary>log(1 + x) to full relative precision: Newton on e^y − 1 = x for x near 0, log(1 + x) elsewhere.</summary>
    public static DoubleDouble Log1p(DoubleDouble x)
    {
        if (!(x.Hi > -0.5 && x.Hi < 1))
        {
            return Log(One + x);
        }
        DoubleDouble y = Log1pApprox(x.Hi);
        for (var i = 0; i < 2; i++)
        {
            var em = Expm1(y);
            y -= (em - x) / (One + em);
        }
        return y;
    }

    /// <summary>x^y = e^(y·log x), for x &gt; 0.</summary>
    public static DoubleDouble Pow(DoubleDouble x, DoubleDouble y) => Exp(y * Log(x));

    /// <summary>Kahan's log1p (Goldberg 1991, Theorem 4): a few ulps, a starting point for Newton.</summary>
    internal static double Log1pApprox(double x)
    {
        var u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    /// <summary>Kahan's expm1 (Higham, Accuracy and Stability, §1.14.1): a few ulps.</summary>
    internal static double Expm1Approx(double x)
    {
        var u = Math.Exp(x);
        if (u == 1 || !double.IsFinite(u))
        {
            return u == 1 ? x : u;
        }
        var um1 = u - 1;
        return um1 == -1 ? -1 : um1 * x / Math.Log(u);
    }

    /// <summary>
    /// e^x − 1 for |x| ≲ 1: Taylor series of e^(x/2^10) − 1, then 10 doublings e ← e·(2 + e), which is
    /// e^(2s) − 1 = (e^s − 1)(e^s + 1) and never subtracts (QD dd_exp reduction, in expm1 form).
    /// </summary>
    private static DoubleDouble Expm1Core(DoubleDouble x)
    {
        if (Math.Abs(x.Hi) < 1e-290)
        {
            return x;
        }
        var s = ScaleB(x, -HalvingSteps);
        var term = s;
        var sum = s;
        for (var n = 2; n < 40 && Math.Abs(term.Hi) > 1e-36 * Math.Abs(sum.Hi); n++)
        {
            term = term * s / n;
            sum += term;
        }
        for (var i = 0; i < HalvingSteps; i++)
        {
            sum *= sum + 2.0;
        }
        return sum;
    }

    /// <summary>k·ln 2 with the three-part constant; the first two products are exact (TwoProd).</summary>
    private static DoubleDouble MultiplyLn2(double k)
    {
        var (a, ae) = TwoProd(k, Ln2A);
        var (b, be) = TwoProd(k, Ln2B);
        return new DoubleDouble(a, ae) + new DoubleDouble(b, be) + (k * Ln2C);
    }
}
