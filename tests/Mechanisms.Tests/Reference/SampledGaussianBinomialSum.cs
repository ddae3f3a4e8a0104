using System.Numerics;

namespace Accounting.Mechanisms.Tests.Reference;

/// <summary>
/// log(A_α − 1) at integer α from Mironov, Talwar, Zhang 2019, §3 (integer α): A_α = Σ_k C(α,k)(1−q)^(α−k) q^k
/// e^((k²−k)/(2σ²)). The binomial weights sum to 1, so A_α − 1 = Σ_{k≥2} C(α,k)(1−q)^(α−k) q^k (e^((k²−k)/(2σ²)) − 1),
/// every term positive. Terms are kept as logarithms and summed relative to the largest.
/// </summary>
internal static class SampledGaussianBinomialSum
{
    /// <summary>log(A_α − 1) for 0 &lt; q &lt; 1, σ &gt; 0, α ≥ 2.</summary>
    internal static DoubleDouble LogAMinusOne(double q, double sigma, int alpha)
    {
        var logQ = DoubleDouble.Log(q);
        var logComplement = DoubleDouble.Log1p(-DoubleDouble.FromDouble(q));
        var twoSigmaSquared = 2.0 * DoubleDouble.ExactProduct(sigma, sigma);

        var logTerms = new DoubleDouble[alpha + 1];
        var largest = double.NegativeInfinity;
        var binomial = new BigInteger(alpha);
        for (var k = 2; k <= alpha; k++)
        {
            // C(α,k) = C(α,k−1)·(α−k+1)/k, exact in integers.
            binomial = binomial * (alpha - k + 1) / k;
            var exponent = DoubleDouble.FromDouble(((long)k * k) - k) / twoSigmaSquared;
            logTerms[k] = LogOf(binomial) + ((double)(alpha - k) * logComplement) + ((double)k * logQ) + LogExpm1(exponent);
            largest = Math.Max(largest, logTerms[k].Hi);
        }

        var sum = DoubleDouble.Zero;
        for (var k = 2; k <= alpha; k++)
        {
            sum += DoubleDouble.Exp(logTerms[k] - largest);
        }
        return largest + DoubleDouble.Log(sum);
    }

    /// <summary>log(e^c − 1) for c &gt; 0: c + log1p(−e^(−c)) once e^c is large, so it never overflows.</summary>
    internal static DoubleDouble LogExpm1(DoubleDouble c) =>
        c.Hi >= 1 ? c + DoubleDouble.Log1p(-DoubleDouble.Exp(-c)) : DoubleDouble.Log(DoubleDouble.Expm1(c));

    /// <summary>log of a positive integer of any size: the top 200 bits as a double-double, plus the shift times ln 2.</summary>
    private static DoubleDouble LogOf(BigInteger value)
    {
        var shift = Math.Max(0, (int)value.GetBitLength() - 200);
        var top = DoubleDouble.FromBigInteger(value >> shift);
        return DoubleDouble.Log(top) + ((double)shift * DoubleDouble.Ln2);
    }
}
