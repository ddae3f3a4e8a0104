using Accounting.TrainerAdapters.Sampling;
using Accounting.TrainerAdapters.Tests.Support;

namespace Accounting.TrainerAdapters.Tests.Sampling;

public sealed class PoissonSamplerTests
{
    private static void AssertAscendingWithin(List<long> batch, long populationSize)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            Assert.InRange(batch[i], i == 0 ? 0 : batch[i - 1] + 1, populationSize - 1);
        }
    }

    [Theory]
    [InlineData(10_000, 0.01, 2_000)]
    [InlineData(2_000, 0.125, 2_000)] // A power of two: blocks of exactly 1/(2q) indices.
    [InlineData(1_000, 0.3, 2_000)]
    [InlineData(1_000, 0.75, 2_000)]
    public void Batches_have_binomial_sizes_and_every_index_has_probability_q(int populationSize, double q, int batches)
    {
        // Batch size ~ Binomial(n, q): mean nq by a z-test; the sample variance has mean nq(1 − q) and a variance from
        // the binomial fourth central moment. Each index's count over the T batches is Binomial(T, q), independently
        // across indices under Poisson sampling, so Σ_i z_i² has mean n and variance n(2 + (1 − 6q(1−q))/(Tq(1−q))).
        // Both sums of squares are tested as moment-matched scaled χ²; α/3 each.
        var sampler = new PoissonSampler(q);
        var sizes = new double[batches];
        var counts = new long[populationSize];
        for (var t = 0; t < batches; t++)
        {
            var batch = sampler.SampleIndices(populationSize);
            AssertAscendingWithin(batch, populationSize);
            sizes[t] = batch.Count;
            foreach (var index in batch)
            {
                counts[index]++;
            }
        }
        var alpha = Significance.PerTest / 3;
        var (n, p, T) = ((double)populationSize, q, (double)batches);
        var variance = n * p * (1 - p);
        var mean = sizes.Average();
        Significance.AssertZ((mean - (n * p)) / Math.Sqrt(variance / T), alpha, "batch size mean");

        var sampleVariance = sizes.Sum(s => (s - mean) * (s - mean)) / (T - 1);
        var fourth = variance * (1 + (3 * (n - 2) * p * (1 - p)));
        var varianceOfVariance = (fourth - (variance * variance * (T - 3) / (T - 1))) / T;
        Significance.AssertScaledChiSquare(sampleVariance, variance, varianceOfVariance, alpha, "batch size variance");

        var perIndex = T * p * (1 - p);
        var statistic = counts.Sum(c => (c - (T * p)) * (c - (T * p)) / perIndex);
        var termVariance = 2 + ((1 - (6 * p * (1 - p))) / perIndex);
        Significance.AssertScaledChiSquare(statistic, n, n * termVariance, alpha, "per-index inclusion");
    }

    [Theory]
    [InlineData(1_000_000_000L, -20, 100)] // q = 2^-20 ≈ 10^-6: about 954 of 10^9 clients per round.
    [InlineData(1L << 50, -40, 100)] // Gaps near 2^40: the arithmetic stays inside a long.
    public void Large_populations_cost_only_the_batch(long populationSize, int log2Rate, int batches)
    {
        // O(n) per batch would take minutes here. Batch size mean by z-test.
        var q = Math.ScaleB(1, log2Rate);
        var sampler = new PoissonSampler(q);
        var sizes = new double[batches];
        for (var t = 0; t < batches; t++)
        {
            var batch = sampler.SampleIndices(populationSize);
            AssertAscendingWithin(batch, populationSize);
            sizes[t] = batch.Count;
        }
        var expected = populationSize * q;
        Significance.AssertZ((sizes.Average() - expected) / Math.Sqrt(expected * (1 - q) / batches), Significance.PerTest, "batch size mean");
    }

    [Fact]
    public void Vanishing_rates_over_the_largest_population_give_empty_batches()
    {
        // n·q ≤ 10^-281: the skipping saturates at the population instead of overflowing.
        Assert.Empty(new PoissonSampler(1e-300).SampleIndices(long.MaxValue));
        Assert.Empty(new PoissonSampler(double.Epsilon).SampleIndices(long.MaxValue));
    }

    [Fact]
    public void Rate_one_takes_everyone_and_an_empty_population_gives_an_empty_batch()
    {
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), new PoissonSampler(1).SampleIndices(100));
        Assert.Empty(new PoissonSampler(0.5).SampleIndices(0));
    }

    [Fact]
    public void Units_are_sampled_in_their_order()
    {
        var units = Enumerable.Range(0, 1_000).Select(i => $"unit-{i:D4}").ToList();
        var batch = new PoissonSampler(0.2).Sample(units);
        Assert.All(batch, unit => Assert.Contains(unit, units));
        Assert.Equal(batch.Order(StringComparer.Ordinal), batch);
        Assert.Equal(batch.Distinct().Count(), batch.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-0.1)]
    [InlineData(1.0000000000000002)]
    [InlineData(double.NaN)]
    public void Rejects_a_rate_outside_the_unit_interval(double q) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PoissonSampler(q));

    [Fact]
    public void Rejects_a_negative_population() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PoissonSampler(0.5).SampleIndices(-1));
}
