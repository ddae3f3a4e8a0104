using System.Numerics;
using Accounting.TrainerAdapters.Noise;
using Accounting.TrainerAdapters.Tests.Support;

namespace Accounting.TrainerAdapters.Tests.Noise;

public sealed class DiscreteGaussianTests
{
    private const int Draws = 100_000;

    // At 3·10^5 draws the second moment's relative standard error is √(2/n) ≈ 0.26%: a 2% variance error is caught with
    // power above 0.99 at α/4.
    private const int ManyDraws = 300_000;

    /// <summary>The exact pmf e^{−x²/(2σ²)} / Σ_z e^{−z²/(2σ²)} on −K … K; the mass beyond K = 15σ + 3 is below 1e-48.</summary>
    private static (int Bound, double[] Pmf) Pmf(double sigmaSquared)
    {
        var bound = (int)Math.Ceiling(15 * Math.Sqrt(sigmaSquared)) + 3;
        var weights = Enumerable.Range(-bound, (2 * bound) + 1).Select(x => Math.Exp(-(double)x * x / (2 * sigmaSquared))).ToArray();
        var total = weights.Sum();
        return (bound, weights.Select(w => w / total).ToArray());
    }

    /// <summary>
    /// Mean 0 and second moment V = Σx²p(x) by z-tests (with the exact Var(x²) = Σx⁴p(x) − V²), Pearson's χ² of the
    /// counts against the exact pmf, and Kolmogorov–Smirnov against its cdf; <paramref name="alpha"/>/4 each.
    /// </summary>
    private static void AssertDiscreteGaussian(long[] samples, double sigmaSquared, string what, double alpha = Significance.PerTest)
    {
        var (bound, pmf) = Pmf(sigmaSquared);
        var support = Enumerable.Range(-bound, (2 * bound) + 1).ToArray();
        var variance = support.Select((x, i) => (double)x * x * pmf[i]).Sum();
        var fourth = support.Select((x, i) => Math.Pow(x, 4) * pmf[i]).Sum();
        // The variance lies below σ², by an e^{−2π²σ²}-small amount that double cannot see once σ ≳ 2.
        Assert.True(variance <= sigmaSquared * (1 + 1e-14), $"{what}: the variance {variance} must not exceed σ² = {sigmaSquared}");
        Assert.True(sigmaSquared >= 1 || variance < sigmaSquared * 0.99, $"{what}: the variance {variance} must lie visibly below σ²");

        var n = samples.Length;
        alpha /= 4;
        Significance.AssertZ(samples.Average() / Math.Sqrt(variance / n), alpha, $"{what}: mean");
        var secondMoment = samples.Average(x => (double)x * x);
        Significance.AssertZ((secondMoment - variance) / Math.Sqrt((fourth - (variance * variance)) / n), alpha, $"{what}: variance");

        var counts = new long[support.Length];
        foreach (var x in samples)
        {
            Assert.InRange(x, -bound, bound);
            counts[x + bound]++;
        }
        var (statistic, df) = Significance.PearsonChiSquare(counts, pmf);
        Significance.AssertChiSquare(statistic, df, alpha, $"{what}: pmf");
        Significance.AssertKolmogorovSmirnov(counts, pmf, alpha, $"{what}: KS against the cdf");
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(1.2345)] // σ² = m²/2^104 with a 53-bit m: exercises the big-integer path.
    public void Samples_follow_the_exact_discrete_Gaussian(double sigma)
    {
        var noise = new DiscreteGaussian();
        var samples = new long[ManyDraws];
        for (var i = 0; i < ManyDraws; i++)
        {
            samples[i] = noise.Sample(sigma);
        }
        AssertDiscreteGaussian(samples, sigma * sigma, $"σ = {sigma}");
    }

    [Fact]
    public void A_rational_variance_is_used_exactly()
    {
        // σ² = 7/3 has no binary representation; the pmf uses it as a rational.
        var noise = new DiscreteGaussian();
        var samples = new long[Draws];
        for (var i = 0; i < Draws; i++)
        {
            samples[i] = noise.Sample(7, 3);
        }
        AssertDiscreteGaussian(samples, 7.0 / 3, "σ² = 7/3");
    }

    [Fact]
    public void Added_noise_has_the_discrete_Gaussian_distribution()
    {
        var values = Enumerable.Repeat(1_000L, Draws).ToArray();
        new DiscreteGaussian().AddNoise(values, 3);
        AssertDiscreteGaussian(values.Select(v => v - 1_000).ToArray(), 9, "AddNoise(σ = 3)", Significance.PerTest / 2);

        var rational = Enumerable.Repeat(-5L, Draws).ToArray();
        new DiscreteGaussian().AddNoise(rational, 1, 4);
        AssertDiscreteGaussian(rational.Select(v => v + 5).ToArray(), 0.25, "AddNoise(σ² = 1/4)", Significance.PerTest / 2);
    }

    [Fact]
    public void A_large_sigma_has_variance_close_to_sigma_squared()
    {
        // σ = 10^6: the variance equals σ² to within e^{−2π²σ²}; x²'s variance is 2σ⁴ up to the same error.
        const int LargeDraws = 20_000;
        const double Sigma = 1e6;
        var noise = new DiscreteGaussian();
        var secondMoment = Enumerable.Range(0, LargeDraws).Select(_ => (double)noise.Sample(Sigma)).Average(x => x * x);
        Significance.AssertZ((secondMoment / (Sigma * Sigma) - 1) / Math.Sqrt(2.0 / LargeDraws), Significance.PerTest, "variance at σ = 10^6");
    }

    [Fact]
    public void A_tiny_sigma_gives_zero()
    {
        // P(Y ≠ 0) ≈ 2e^{−1/(2σ²)} = 2e^{−500000} at σ = 10^-3.
        var noise = new DiscreteGaussian();
        Assert.All(Enumerable.Range(0, 1_000), _ => Assert.Equal(0, noise.Sample(1e-3)));
    }

    [Fact]
    public void Overflowing_a_long_throws()
    {
        // Each value stays put only if its noise is ≤ 0 (probability ≈ 0.52 at σ = 10), so overflow is all but certain.
        var values = Enumerable.Repeat(long.MaxValue, 200).ToArray();
        Assert.Throws<OverflowException>(() => new DiscreteGaussian().AddNoise(values, 10));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(1e16)]
    public void Rejects_sigma_outside_its_range(double sigma)
    {
        var noise = new DiscreteGaussian();
        Assert.Throws<ArgumentOutOfRangeException>(() => noise.Sample(sigma));
        Assert.Throws<ArgumentOutOfRangeException>(() => noise.AddNoise(new long[1], sigma));
    }

    [Fact]
    public void Rejects_a_rational_variance_that_is_not_positive()
    {
        var noise = new DiscreteGaussian();
        Assert.Throws<ArgumentOutOfRangeException>(() => noise.Sample(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => noise.Sample(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => noise.Sample(-1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => noise.Sample(BigInteger.One << 101, 1));
    }

    [Theory]
    [InlineData(0.5, 1, 4, 1)]
    [InlineData(1.5, 9, 4, 2)]
    [InlineData(3, 9, 1, 4)]
    [InlineData(10, 100, 1, 11)]
    public void The_square_of_a_double_sigma_is_exact(double sigma, long numerator, long denominator, long laplaceScale) =>
        Assert.Equal(new DiscreteGaussianScale(numerator, denominator, laplaceScale), DiscreteGaussianScale.FromSigma(sigma));

    [Fact]
    public void The_square_of_a_non_dyadic_looking_sigma_is_exact()
    {
        // The double 0.1 is 0xCCCCCCCCCCCCD·2^-55 with an odd mantissa, so σ² = m²/2^110 and t = 1.
        var m = new BigInteger(0xCCCCCCCCCCCCDUL);
        Assert.Equal(new DiscreteGaussianScale(m * m, BigInteger.One << 110, 1), DiscreteGaussianScale.FromSigma(0.1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void The_discrete_Laplace_proposal_follows_its_pmf(long scale)
    {
        // P(y) = tanh(1/(2t))·e^{−|y|/t} on the integers: e^{−|y|/t} normalised by (1 + e^{−1/t})/(1 − e^{−1/t}).
        var random = new SecureRandom();
        var bound = (int)(40 * scale);
        var counts = new long[(2 * bound) + 1];
        for (var i = 0; i < Draws; i++)
        {
            var y = DiscreteLaplace.Sample(random, scale);
            Assert.InRange(y, -bound, bound);
            counts[y + bound]++;
        }
        var pmf = Enumerable.Range(-bound, (2 * bound) + 1).Select(y => Math.Tanh(0.5 / scale) * Math.Exp(-Math.Abs(y) / (double)scale)).ToArray();
        var (statistic, df) = Significance.PearsonChiSquare(counts, pmf);
        Significance.AssertChiSquare(statistic, df, Significance.PerTest, $"discrete Laplace t = {scale}");
    }
}
