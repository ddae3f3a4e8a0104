using System.Numerics;

namespace Accounting.TrainerAdapters.Noise;

/// <summary>
/// Exact discrete Gaussian noise: P(Y = y) = e^{−y²/(2σ²)} / Σ_z e^{−z²/(2σ²)} on the integers, with integer and rational
/// arithmetic only, so no floating-point error enters the output distribution. Added to an integer query of
/// sensitivity 1 it satisfies ρ = 1/(2σ²)-zCDP, as the continuous Gaussian does, and its variance is slightly below σ²
/// (Canonne, Kamath, Steinke 2020, "The Discrete Gaussian for Differential Privacy"). Not thread-safe.
/// </summary>
public sealed class DiscreteGaussian(SecureRandom random)
{
    /// <summary>Noise from a new <see cref="SecureRandom"/>.</summary>
    public DiscreteGaussian()
        : this(new SecureRandom())
    {
    }

    /// <summary>One draw with σ² the exact square of <paramref name="sigma"/> (0 &lt; σ ≤ 2^50).</summary>
    public long Sample(double sigma) => Sample(DiscreteGaussianScale.FromSigma(sigma));

    /// <summary>One draw with σ² = <paramref name="sigmaSquaredNumerator"/> / <paramref name="sigmaSquaredDenominator"/>.</summary>
    public long Sample(BigInteger sigmaSquaredNumerator, BigInteger sigmaSquaredDenominator) =>
        Sample(DiscreteGaussianScale.FromSigmaSquared(sigmaSquaredNumerator, sigmaSquaredDenominator));

    /// <summary>Adds i.i.d. discrete Gaussian noise with σ² the exact square of <paramref name="sigma"/>, in place.</summary>
    /// <exception cref="OverflowException">A noisy value leaves the range of a long.</exception>
    public void AddNoise(Span<long> values, double sigma) => AddNoise(values, DiscreteGaussianScale.FromSigma(sigma));

    /// <summary>Adds i.i.d. discrete Gaussian noise with σ² = numerator / denominator, in place.</summary>
    /// <exception cref="OverflowException">A noisy value leaves the range of a long.</exception>
    public void AddNoise(Span<long> values, BigInteger sigmaSquaredNumerator, BigInteger sigmaSquaredDenominator) =>
        AddNoise(values, DiscreteGaussianScale.FromSigmaSquared(sigmaSquaredNumerator, sigmaSquaredDenominator));

    private void AddNoise(Span<long> values, DiscreteGaussianScale scale)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = checked(values[i] + Sample(scale));
        }
    }

    // Canonne, Kamath, Steinke 2020, Algorithm 3: propose Y from the discrete Laplace with scale t = ⌊σ⌋ + 1 and keep it
    // with probability exp(−(|Y| − σ²/t)²/(2σ²)). With σ² = a/b that exponent is (|Y|·b·t − a)² / (2·a·b·t²).
    private long Sample(DiscreteGaussianScale scale)
    {
        var (a, b, t) = scale;
        var bt = b * t;
        var denominator = 2 * a * bt * t;
        while (true)
        {
            var y = DiscreteLaplace.Sample(random, t);
            var distance = (Math.Abs(y) * bt) - a;
            if (BernoulliExp.Sample(random, distance * distance, denominator))
            {
                return y;
            }
        }
    }
}
