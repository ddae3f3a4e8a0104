using Accounting.Mechanisms.Numerics;

namespace Accounting.Mechanisms.Rdp;

/// <summary>RDP of the Laplace mechanism with scale b for sensitivity 1.</summary>
public static class LaplaceRdp
{
    /// <summary>
    /// Mironov 2017, Prop. 6: ε(α) = log(α/(2α−1)·e^{(α−1)/b} + (α−1)/(2α−1)·e^{−α/b}) / (α − 1); ε(∞) = 1/b.
    /// </summary>
    public static double Epsilon(double noiseScale, double alpha)
    {
        var pure = Upward.Divide(1, noiseScale);
        if (double.IsPositiveInfinity(alpha))
        {
            return pure;
        }
        var lambda = 1 / noiseScale;
        var twoAlphaMinus1 = 2 * alpha - 1;
        double logSum;
        if ((alpha - 1) * lambda < 30)
        {
            // The sum is 1 + [α·f((α−1)λ) + (α−1)·f(−αλ)]/(2α−1) with f(x) = e^x − 1 − x ≥ 0: the first-order terms
            // cancel exactly, so the small-λ regime keeps its relative precision.
            var excess = (alpha * LogSpace.Expm1MinusX((alpha - 1) * lambda)
                + (alpha - 1) * LogSpace.Expm1MinusX(-alpha * lambda)) / twoAlphaMinus1;
            logSum = LogSpace.Log1p(excess);
        }
        else
        {
            logSum = LogSpace.Add(
                Math.Log(alpha / twoAlphaMinus1) + (alpha - 1) * lambda,
                Math.Log((alpha - 1) / twoAlphaMinus1) - alpha * lambda);
        }
        // A handful of correctly rounded steps, each within an ulp: 1e-14 relative covers them. For huge scales the
        // true ε ≈ α/(2b²) underflows; the smallest positive double stays above it.
        var epsilon = Upward.Multiply(Upward.Divide(logSum, alpha - 1), 1 + 1e-14);
        return Math.Min(pure, Math.Max(epsilon, double.Epsilon));
    }
}
