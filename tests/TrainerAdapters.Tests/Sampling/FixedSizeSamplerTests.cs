using Accounting.TrainerAdapters.Sampling;
using Accounting.TrainerAdapters.Tests.Support;

namespace Accounting.TrainerAdapters.Tests.Sampling;

public sealed class FixedSizeSamplerTests
{
    [Fact]
    public void Every_unit_is_included_with_probability_m_over_n()
    {
        // n = 50, m = 7, T = 20000 samples. One sample's inclusion indicators have covariance p(1−p)·n/(n−1)·(I − 11ᵀ/n),
        // so (n − 1)/(n·p(1 − p)·T) · Σ_i (c_i − Tp)² is asymptotically χ² with n − 1 degrees of freedom.
        const int N = 50, M = 7, Samples = 20_000;
        var sampler = new FixedSizeSampler();
        var counts = new long[N];
        for (var t = 0; t < Samples; t++)
        {
            var sample = sampler.SampleIndices(N, M);
            Assert.Equal(M, sample.Length);
            Assert.Equal(sample.Distinct().Order(), sample);
            foreach (var index in sample)
            {
                counts[index]++;
            }
        }
        const double P = (double)M / N;
        var statistic = (N - 1.0) / (N * P * (1 - P) * Samples) * counts.Sum(c => (c - (Samples * P)) * (c - (Samples * P)));
        Significance.AssertChiSquare(statistic, N - 1, Significance.PerTest, "inclusion frequencies");
    }

    [Fact]
    public void Every_subset_is_equally_likely()
    {
        // n = 6, m = 3: 20 subsets, 60000 samples, Pearson's χ² with 19 degrees of freedom.
        const int Samples = 60_000;
        var sampler = new FixedSizeSampler();
        var counts = new long[64];
        for (var t = 0; t < Samples; t++)
        {
            counts[sampler.SampleIndices(6, 3).Sum(i => 1 << (int)i)]++;
        }
        var subsets = Enumerable.Range(0, 64).Where(mask => int.PopCount(mask) == 3).ToArray();
        Assert.Equal(Samples, subsets.Sum(mask => counts[mask]));
        var (statistic, df) = Significance.PearsonChiSquare(
            subsets.Select(mask => counts[mask]).ToArray(), Enumerable.Repeat(1.0 / 20, 20).ToArray());
        Significance.AssertChiSquare(statistic, df, Significance.PerTest, "subsets of 3 from 6");
    }

    [Fact]
    public void Edge_sizes_and_huge_populations_work()
    {
        var sampler = new FixedSizeSampler();
        Assert.Empty(sampler.SampleIndices(10, 0));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), sampler.SampleIndices(10, 10));
        var sample = sampler.SampleIndices(1_000_000_000_000, 1_000);
        Assert.Equal(1_000, sample.Distinct().Count());
        Assert.All(sample, i => Assert.InRange(i, 0, 999_999_999_999));
        Assert.Equal(sample.Order(), sample);
    }

    [Fact]
    public void Units_are_sampled_in_their_order()
    {
        var units = Enumerable.Range(0, 100).Select(i => $"client-{i:D3}").ToList();
        var sample = new FixedSizeSampler().Sample(units, 10);
        Assert.Equal(10, sample.Distinct().Count());
        Assert.All(sample, unit => Assert.Contains(unit, units));
        Assert.Equal(sample.Order(StringComparer.Ordinal), sample);
    }

    [Fact]
    public void Rejects_sizes_that_do_not_fit()
    {
        var sampler = new FixedSizeSampler();
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.SampleIndices(5, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.SampleIndices(5, -1));
    }
}
