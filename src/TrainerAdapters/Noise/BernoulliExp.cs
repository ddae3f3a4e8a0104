using System.Numerics;

namespace Accounting.TrainerAdapters.Noise;

/// <summary>Exact Bernoulli(exp(−γ)) for a rational γ = numerator / denominator ≥ 0, with integer arithmetic only.</summary>
internal static class BernoulliExp
{
    // Canonne, Kamath, Steinke 2020, "The Discrete Gaussian for Differential Privacy", Algorithm 1.
    public static bool Sample(SecureRandom random, BigInteger numerator, BigInteger denominator)
    {
        if (numerator <= denominator)
        {
            // γ ≤ 1: draw A_k ~ Bernoulli(γ/k) for k = 1, 2, … until the first failure at K; P(K odd) = e^{−γ}.
            var k = 1;
            while (random.NextBernoulli(numerator, denominator * k))
            {
                k++;
            }
            return (k & 1) == 1;
        }
        // γ > 1: e^{−γ} = (e^{−1})^{⌊γ⌋} · e^{−(γ − ⌊γ⌋)}; stop at the first failed factor.
        var whole = BigInteger.DivRem(numerator, denominator, out var fraction);
        for (var i = BigInteger.Zero; i < whole; i++)
        {
            if (!Sample(random, BigInteger.One, BigInteger.One))
            {
                return false;
            }
        }
        return Sample(random, fraction, denominator);
    }
}
