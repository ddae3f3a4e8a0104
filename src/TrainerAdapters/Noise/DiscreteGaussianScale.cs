using System.Numerics;

namespace Accounting.TrainerAdapters.Noise;

/// <summary>σ² = <see cref="Numerator"/> / <see cref="Denominator"/> exactly, and the Laplace scale t = ⌊σ⌋ + 1.</summary>
internal readonly record struct DiscreteGaussianScale(BigInteger Numerator, BigInteger Denominator, long LaplaceScale)
{
    /// <summary>Largest σ accepted: the Laplace proposal's scale and the samples stay far inside a long.</summary>
    public const double MaxSigma = 1L << 50;

    /// <summary>The exact square of the double σ.</summary>
    public static DiscreteGaussianScale FromSigma(double sigma)
    {
        if (!(sigma > 0 && sigma <= MaxSigma))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "σ must lie in (0, 2^50].");
        }
        // σ = m·2^e with m odd, so σ² = m²·2^(2e) is a rational with a power-of-two denominator.
        var (mantissa, exponent) = DoubleBits.Decompose(sigma);
        var zeros = BitOperations.TrailingZeroCount(mantissa);
        mantissa >>= zeros;
        exponent += zeros;
        var square = (BigInteger)mantissa * mantissa;
        return exponent >= 0
            ? Create(square << (2 * exponent), BigInteger.One)
            : Create(square, BigInteger.One << (-2 * exponent));
    }

    /// <summary>σ² given as a rational.</summary>
    public static DiscreteGaussianScale FromSigmaSquared(BigInteger numerator, BigInteger denominator)
    {
        if (numerator.Sign <= 0 || denominator.Sign <= 0 || numerator > denominator * (BigInteger.One << 100))
        {
            throw new ArgumentOutOfRangeException(
                nameof(numerator), $"σ² = {numerator}/{denominator} must be positive and at most 2^100.");
        }
        return Create(numerator, denominator);
    }

    private static DiscreteGaussianScale Create(BigInteger numerator, BigInteger denominator)
    {
        // ⌊σ⌋ = ⌊√⌊σ²⌋⌋ since k² ≤ σ² ⟺ k² ≤ ⌊σ²⌋ for integers k.
        var floorSquare = numerator / denominator;
        var root = (BigInteger)Math.Sqrt((double)floorSquare);
        while (root * root > floorSquare)
        {
            root--;
        }
        while ((root + 1) * (root + 1) <= floorSquare)
        {
            root++;
        }
        return new DiscreteGaussianScale(numerator, denominator, (long)root + 1);
    }
}
