using Accounting.Mechanisms.Numerics;

namespace Accounting.Mechanisms.Rdp;

/// <summary>RDP of k-ary randomized response (replace-one: one respondent's true value changes).</summary>
public static class RandomizedResponseRdp
{
    /// <summary>
    /// ε(α) = log(a^α b^{1−α} + b^α a^{1−α} + (k−2)·b) / (α − 1), the Rényi divergence between the output
    /// distributions for two different true values, where a = 1 − p + p/k and b = p/k are the probabilities of
    /// reporting the true value and any given other value (Mironov 2017, Prop. 5, for k = 2); ε(∞) = log(a/b).
    /// </summary>
    public static double Epsilon(double noiseParameter, int numBuckets, double alpha)
    {
        var p = noiseParameter;
        var b = p / numBuckets;
        // r − 1 = a/b − 1 = k(1 − p)/p.
        var rMinus1 = numBuckets * (1 - p) / p;
        var logR = LogSpace.Log1p(rMinus1);
        var pure = Upward.Ulps(logR, 4);
        if (double.IsPositiveInfinity(alpha) || rMinus1 == 0)
        {
            return rMinus1 == 0 ? 0 : pure;
        }
        // With y = (α−1)·log r and a + (k−1)b = 1, the sum is 1 + b·[(r−1)·expm1(y) + 4·sinh²(y/2)]: all terms ≥ 0.
        var y = (alpha - 1) * logR;
        double logSum;
        if (y < 30)
        {
            var half = Math.Sinh(0.5 * y);
            logSum = LogSpace.Log1p(b * (rMinus1 * LogSpace.Expm1(y) + 4 * half * half));
        }
        else
        {
            // (r−1)(1 − e^{−y}) + (1 − e^{−y})² ≤ r, so log(sum − 1) ≤ log b + y + log r: an upper bound.
            logSum = LogSpace.Log1pExp(Math.Log(b) + y + logR);
        }
        // A handful of correctly rounded steps, each within an ulp: 1e-14 relative covers them.
        return Math.Min(pure, Upward.Multiply(Upward.Divide(logSum, alpha - 1), 1 + 1e-14));
    }
}
