namespace Accounting.Mechanisms.Tests.Reference;

/// <summary>
/// log f(t) for A_α − 1 = ∫ f, f(t) = φ(t)·g(u(t)), t ~ N(0, 1), z = σt, u = q·(e^((2z−1)/(2σ²)) − 1) and
/// g(u) = (1+u)^α − 1 − αu ≥ 0 (Mironov, Talwar, Zhang 2019, §3, with E[u] = 0 subtracted to remove cancellation).
/// </summary>
internal sealed class SampledGaussianIntegrand
{
    // ½ log(2π) split into two doubles (60-digit mpmath value).
    private static readonly DoubleDouble HalfLogTwoPi = new(0.9189385332046728, -3.8782941580672414e-17);

    private readonly DoubleDouble q;
    private readonly DoubleDouble sigma;
    private readonly DoubleDouble alpha;
    private readonly DoubleDouble alphaMinusOne;
    private readonly DoubleDouble offset;
    private readonly DoubleDouble logQ;
    private readonly DoubleDouble complementOverQ;

    internal SampledGaussianIntegrand(double q, double sigma, double alpha)
    {
        this.q = q;
        this.sigma = sigma;
        this.alpha = alpha;
        alphaMinusOne = DoubleDouble.FromDouble(alpha) - DoubleDouble.One;
        offset = DoubleDouble.One / (2.0 * DoubleDouble.ExactProduct(sigma, sigma));
        logQ = DoubleDouble.Log(q);
        complementOverQ = (DoubleDouble.One - q) / q;
    }

    /// <summary>log f(t); −∞ where u(t) = 0.</summary>
    internal DoubleDouble LogValue(DoubleDouble t)
    {
        // (2σt − 1)/(2σ²) = t/σ − 1/(2σ²).
        var s = (t / sigma) - offset;
        var logPhi = -(ScaleHalf(t * t)) - HalfLogTwoPi;
        if (s.Hi > 600)
        {
            // 1 + u = q·e^s·(1 + (1−q)/(q·e^s)); here u is astronomically large and w ≥ 1 below.
            var log1pU = s + logQ + DoubleDouble.Log1p(complementOverQ * DoubleDouble.Exp(-s));
            return logPhi + LogGLarge(log1pU);
        }
        var u = q * DoubleDouble.Expm1(s);
        var l1 = DoubleDouble.Log1p(u);
        var w = alpha * l1;
        if (w.Hi >= 1)
        {
            return logPhi + LogGLarge(l1);
        }
        // g = (e^w − 1 − w) + α(log(1+u) − u), w = α·log(1+u): both brackets are series without cancellation.
        var g = Expm1MinusIdentity(w) + (alpha * Log1pMinusIdentity(u, l1));
        return logPhi + DoubleDouble.Log(g);
    }

    /// <summary>
    /// log g for w = α·log(1+u) ≥ 1: g = e^w·(−α·expm1((1−α)·log(1+u)) + (α−1)·expm1(−w)), an identity
    /// (expand both expm1 terms) that never forms e^w.
    /// </summary>
    private DoubleDouble LogGLarge(DoubleDouble log1pU)
    {
        var w = alpha * log1pU;
        var bracket = (-alpha * DoubleDouble.Expm1(-(alphaMinusOne * log1pU))) + (alphaMinusOne * DoubleDouble.Expm1(-w));
        return w + DoubleDouble.Log(bracket);
    }

    /// <summary>e^w − 1 − w: Taylor series Σ_{n≥2} wⁿ/n! for |w| &lt; ½, direct otherwise (loses ≤ 3 bits).</summary>
    private static DoubleDouble Expm1MinusIdentity(DoubleDouble w)
    {
        if (Math.Abs(w.Hi) >= 0.5)
        {
            return DoubleDouble.Expm1(w) - w;
        }
        var term = ScaleHalf(w * w);
        var sum = term;
        for (var n = 3; n < 60 && Math.Abs(term.Hi) > 1e-36 * Math.Abs(sum.Hi); n++)
        {
            term = term * w / n;
            sum += term;
        }
        return sum;
    }

    /// <summary>log(1+u) − u: series Σ_{n≥2} (−1)^(n+1) uⁿ/n for |u| &lt; 1/100, the given log(1+u) − u otherwise.</summary>
    private static DoubleDouble Log1pMinusIdentity(DoubleDouble u, DoubleDouble log1pU)
    {
        if (Math.Abs(u.Hi) >= 0.01)
        {
            return log1pU - u;
        }
        var power = u;
        DoubleDouble sum = 0;
        for (var n = 2; n < 60; n++)
        {
            power = -(power * u);
            var term = power / n;
            sum += term;
            if (Math.Abs(term.Hi) <= 1e-36 * Math.Abs(sum.Hi))
            {
                break;
            }
        }
        return sum;
    }

    private static DoubleDouble ScaleHalf(DoubleDouble x) => DoubleDouble.ScaleB(x, -1);
}
