namespace Accounting.Mechanisms.Numerics;

/// <summary>
/// Accurate elementary functions near their cancellation points and sums in log space. .NET's
/// <c>double.ExpM1</c>/<c>double.LogP1</c> compute <c>exp(x) − 1</c> and <c>log(1 + x)</c> literally, losing every
/// digit for small x, so the privacy code uses these instead.
/// </summary>
public static class LogSpace
{
    /// <summary>log(1 + x) for x ≥ −1, accurate to a few ulps also for tiny x.</summary>
    public static double Log1p(double x)
    {
        // Kahan's trick (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., §1.14.1): the rounding of
        // 1 + x is undone by scaling with x / (u − 1).
        var u = 1 + x;
        if (u == 1)
        {
            return x;
        }
        return double.IsPositiveInfinity(u) ? u : Math.Log(u) * x / (u - 1);
    }

    /// <summary>exp(x) − 1, accurate to a few ulps also for tiny x.</summary>
    public static double Expm1(double x)
    {
        if (Math.Abs(x) >= 0.5)
        {
            return Math.Exp(x) - 1;
        }
        // Kahan's trick (Higham, §1.14.1): exact for the rounded u = exp(x), corrected by x / log(u).
        var u = Math.Exp(x);
        if (u == 1)
        {
            return x;
        }
        var um1 = u - 1;
        return um1 == -1 ? -1 : um1 * x / Math.Log(u);
    }

    /// <summary>e^x − 1 − x ≥ 0 without the cancellation of its first-order terms.</summary>
    public static double Expm1MinusX(double x)
    {
        if (Math.Abs(x) >= 0.5)
        {
            return Expm1(x) - x; // e^x − 1 − x ≥ 0.1|x| here: less than a digit cancels.
        }
        // Taylor series Σ_{k≥2} x^k/k!: terms shrink at least fourfold.
        double term = 0.5 * x * x, sum = term;
        for (var k = 3; k < 30 && Math.Abs(term) > 1e-18 * sum; k++)
        {
            term *= x / k;
            sum += term;
        }
        return sum;
    }

    /// <summary>log(e^a + e^b) without overflow; −∞ is the log of zero.</summary>
    public static double Add(double a, double b)
    {
        if (a < b)
        {
            (a, b) = (b, a);
        }
        return double.IsNegativeInfinity(b) ? a : a + Log1p(Math.Exp(b - a));
    }

    /// <summary>log(1 + e^x) without overflow or loss for very negative x.</summary>
    public static double Log1pExp(double x) => x > 36 ? x + Math.Exp(-x) : Log1p(Math.Exp(x));

    /// <summary>log(1 − e^x) for x ≤ 0 (Mächler 2012, "Accurately computing log(1 − exp(−|a|))", §2).</summary>
    public static double Log1mExp(double x) => x > -0.6931471805599453 ? Math.Log(-Expm1(x)) : Log1p(-Math.Exp(x));
}
