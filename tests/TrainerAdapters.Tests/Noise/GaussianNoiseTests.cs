using Accounting.TrainerAdapters.Noise;
using Accounting.TrainerAdapters.Tests.Support;
using MathNet.Numerics.Distributions;

namespace Accounting.TrainerAdapters.Tests.Noise;

public sealed class GaussianNoiseTests
{
    [Fact]
    public void Standard_draws_have_mean_0_variance_1_and_the_normal_distribution()
    {
        // 10^6 draws. Mean: z = x̄·√n. Variance with the mean known: Σx²/n has variance 2/n. KS against Φ.
        // At α/3 each this catches a mean shift of 0.005, a variance error of 0.7% and a CDF error of 0.0023.
        const int Draws = 1_000_000;
        var noise = new GaussianNoise();
        var samples = new double[Draws];
        for (var i = 0; i < Draws; i++)
        {
            samples[i] = noise.NextStandard();
        }
        var alpha = Significance.PerTest / 3;
        Significance.AssertZ(samples.Average() * Math.Sqrt(Draws), alpha, "mean");
        Significance.AssertZ((samples.Average(x => x * x) - 1) / Math.Sqrt(2.0 / Draws), alpha, "variance");
        Significance.AssertKolmogorovSmirnov(samples, x => Normal.CDF(0, 1, x), alpha, "KS against N(0, 1)");
    }

    [Fact]
    public void The_two_draws_of_a_Box_Muller_pair_are_uncorrelated()
    {
        // E[z₀z₁] = 0 and Var(z₀z₁) = 1 for independent standard normals, so Σz₀z₁/√n is N(0, 1).
        const int Pairs = 500_000;
        var noise = new GaussianNoise();
        double sum = 0;
        for (var i = 0; i < Pairs; i++)
        {
            sum += noise.NextStandard() * noise.NextStandard();
        }
        Significance.AssertZ(sum / Math.Sqrt(Pairs), Significance.PerTest, "correlation within pairs");
    }

    [Fact]
    public void Noise_added_to_floats_has_the_requested_standard_deviation()
    {
        // An odd length exercises the unpaired last value. Mean 5 and variance 9 by z-tests at α/2 each.
        const int Length = 400_001;
        const double Deviation = 3;
        var values = Enumerable.Repeat(5f, Length).ToArray();
        new GaussianNoise().AddNoise(values, Deviation);
        var alpha = Significance.PerTest / 2;
        var noise = values.Select(v => v - 5.0).ToArray();
        Significance.AssertZ(noise.Average() / (Deviation / Math.Sqrt(Length)), alpha, "mean");
        Significance.AssertZ((noise.Average(x => x * x) / (Deviation * Deviation) - 1) / Math.Sqrt(2.0 / Length), alpha, "variance");
    }

    [Fact]
    public void Noise_added_to_doubles_and_single_samples_have_the_requested_standard_deviation()
    {
        const int Length = 200_000;
        const double Deviation = 0.25;
        var noise = new GaussianNoise();
        var values = new double[Length];
        noise.AddNoise(values, Deviation);
        var singles = Enumerable.Range(0, Length).Select(_ => noise.Sample(Deviation)).ToArray();
        var alpha = Significance.PerTest / 2;
        foreach (var (name, draws) in new[] { ("AddNoise", values), ("Sample", singles) })
        {
            Significance.AssertZ((draws.Average(x => x * x) / (Deviation * Deviation) - 1) / Math.Sqrt(2.0 / Length), alpha, name);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Rejects_a_standard_deviation_that_is_not_positive_and_finite(double deviation)
    {
        var noise = new GaussianNoise();
        Assert.Throws<ArgumentOutOfRangeException>(() => noise.AddNoise(new float[3], deviation));
        Assert.Throws<ArgumentOutOfRangeException>(() => noise.AddNoise(new double[3], deviation));
        Assert.Throws<ArgumentOutOfRangeException>(() => noise.Sample(deviation));
    }
}
