namespace Accounting.Mechanisms.Tests.Reference;

/// <summary>
/// The log-integrand of <see cref="SampledGaussianIntegrand"/> in plain double, same formulas, to a few ulps of
/// each step: only used to locate where the integrand lives, never summed.
/// </summary>
internal sealed class ApproximateIntegrand(double q, double sigma, double alpha)
{
    private readonly double offset = 1 / (2 * sigma * sigma);
    private readonly double logQ = Math.Log(q);
    private readonly double complementOverQ = (1 - q) / q;

    /// <summary>log f(t) approximately; −∞ where g rounds to a non-positive value (only at u ≈ 0).</summary>
    internal double LogValue(double t)
    {
        var s = (t / sigma) - offset;
        var logPhi = (-0.5 * t * t) - 0.9189385332046728;
        if (s > 600)
        {
            return logPhi + LogGLarge(s + logQ + DoubleDouble.Log1pApprox(complementOverQ * Math.Exp(-s)));
        }
        var u = q * DoubleDouble.Expm1Approx(s);
        var l1 = DoubleDouble.Log1pApprox(u);
        var w = alpha * l1;
        if (w >= 1)
        {
            return logPhi + LogGLarge(l1);
        }
        var expm1MinusW = Math.Abs(w) < 0.5 ? Expm1MinusIdentitySeries(w) : DoubleDouble.Expm1Approx(w) - w;
        var log1pMinusU = Math.Abs(u) < 0.01 ? Log1pMinusIdentitySeries(u) : l1 - u;
        var g = expm1MinusW + (alpha * log1pMinusU);
        return g > 0 ? logPhi + Math.Log(g) : double.NegativeInfinity;
    }

    private double LogGLarge(double log1pU)
    {
        var w = alpha * log1pU;
        var bracket = (-alpha * DoubleDouble.Expm1Approx((1 - alpha) * log1pU)) + ((alpha - 1) * DoubleDouble.Expm1Approx(-w));
        return bracket > 0 ? w + Math.Log(bracket) : double.NegativeInfinity;
    }

    /// <summary>Σ_{n≥2} wⁿ/n!, as in <see cref="SampledGaussianIntegrand"/>.</summary>
    private static double Expm1MinusIdentitySeries(double w)
    {
        var term = w * w / 2;
        var sum = term;
        for (var n = 3; n < 40 && Math.Abs(term) > 1e-18 * Math.Abs(sum); n++)
        {
            term *= w / n;
            sum += term;
        }
        return sum;
    }

    /// <summary>Σ_{n≥2} (−1)^(n+1) uⁿ/n, as in <see cref="SampledGaussianIntegrand"/>.</summary>
    private static double Log1pMinusIdentitySeries(double u)
    {
        var power = u;
        var sum = 0.0;
        for (var n = 2; n < 40; n++)
        {
            power *= -u;
            sum += power / n;
            if (Math.Abs(power) <= 1e-18 * Math.Abs(sum))
            {
                break;
            }
        }
        return sum;
    }
}
