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
        return Math.FusedMultiplyAdd(a, b, -p) > 0 ? Math.BitIncrement(p) : p;
    }

    /// <summary>a / b rounded up, for b &gt; 0.</summary>
    public static double Divide(double a, double b)
    {
        var q = a / b;
        if (!double.IsFinite(q))
        {
            return q;
        }
        // q·b − a recovered exactly by FMA: negative means q is below the true quotient.
        return Math.FusedMultiplyAdd(q, b, -a) < 0 ? Math.BitIncrement(q) : q;
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
}
