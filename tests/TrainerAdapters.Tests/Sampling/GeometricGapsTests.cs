using System.Numerics;
using Accounting.Mechanisms.Numerics;
using Accounting.TrainerAdapters.Noise;
using Accounting.TrainerAdapters.Sampling;
using Accounting.TrainerAdapters.Tests.Support;

namespace Accounting.TrainerAdapters.Tests.Sampling;

public sealed class GeometricGapsTests
{
    [Theory]
    [InlineData(0.75)]
    [InlineData(0.5)]
    [InlineData(0.3)]
    [InlineData(0.01)]
    [InlineData(1e-4)]
    public void Gaps_follow_the_geometric_distribution(double q)
    {
        // 10^5 gaps against P(G = k) = (1 − q)^k q, the tail beyond 25/q in one cell (mass e^-25); Pearson's χ².
        const int Draws = 100_000;
        var gaps = new GeometricGaps(q, new SecureRandom());
        var tail = (int)Math.Ceiling(25 / q);
        var counts = new long[tail + 1];
        for (var i = 0; i < Draws; i++)
        {
            counts[Math.Min(gaps.NextGap(long.MaxValue), tail)]++;
        }
        var logSurvival = Math.Log(1 - q); // Test-side reference in double: ample for a χ² test.
        var pmf = Enumerable.Range(0, tail + 1)
            .Select(k => k < tail ? Math.Exp(k * logSurvival) * q : Math.Exp(tail * logSurvival))
            .ToArray();
        var (statistic, df) = Significance.PearsonChiSquare(counts, pmf);
        Significance.AssertChiSquare(statistic, df, Significance.PerTest, $"Geometric({q})");
    }

    [Fact]
    public void A_capped_gap_is_the_cap_with_the_survival_probability()
    {
        // min(G, 50) = 50 with probability 0.99^50.
        const int Draws = 100_000;
        var gaps = new GeometricGaps(0.01, new SecureRandom());
        var capped = 0L;
        for (var i = 0; i < Draws; i++)
        {
            var gap = gaps.NextGap(50);
            Assert.InRange(gap, 0, 50);
            capped += gap == 50 ? 1 : 0;
        }
        Significance.AssertBinomial(capped, Draws, Math.Pow(0.99, 50), Significance.PerTest, "P(G ≥ 50)");
    }

    [Fact]
    public void Brackets_hold_the_exact_probabilities()
    {
        // q = 3/8, x = 5/8, k = 1: P(bit 0) = (5/8)/(13/8) = 5/13 (not dyadic), P(block of 2 empty) = 25/64 (exact).
        var (lower, upper) = GapProbabilities.Bounds(0.375, 1, 128);
        var scaled = BigInteger.One << 128;
        Assert.True(lower[0] * 13 <= 5 * scaled && 5 * scaled <= upper[0] * 13);
        Assert.Equal(1, upper[0] - lower[0]);
        Assert.Equal(25 * (scaled >> 6), lower[1]);
        Assert.Equal(lower[1], upper[1]);
    }

    [Theory]
    [InlineData(0.9)]
    [InlineData(0.3)]
    [InlineData(1e-3)]
    [InlineData(1e-9)]
    [InlineData(1e-300)]
    [InlineData(4.9406564584124654e-324)]
    public void Brackets_are_tight_for_every_rate(double q)
    {
        var k = Math.Max(0, -Math.ILogB(q) - 1);
        var (lower, upper) = GapProbabilities.Bounds(q, k, 128);
        var scaled = Math.ScaleB(1, 128);
        for (var i = 0; i <= k; i++)
        {
            Assert.InRange(upper[i] - lower[i], BigInteger.Zero, new BigInteger(3));
            // x^(2^i) = exp(2^i·log1p(−q)) in double, good to ~1e-15 relative.
            var power = Math.Exp(Math.ScaleB(LogSpace.Log1p(-q), i));
            var expected = i < k ? power / (1 + power) : power;
            Assert.Equal(expected, (double)lower[i] / scaled, 1e-12);
        }
    }

    [Fact]
    public void A_uniform_inside_the_bracket_is_settled_with_more_bits()
    {
        // q = 3/8, bit 0 has p = 5/13 and the 128-bit bracket [lo, lo + 1]. A uniform whose first 128 bits equal lo is
        // below p iff its next bits are below the next 128 bits of 5/13's expansion.
        var (lower, _) = GapProbabilities.Bounds(0.375, 1, 128);
        var lo = (UInt128)lower[0];
        var (high, low) = ((ulong)(lo >> 64), (ulong)lo);
        Assert.True(new GeometricGaps(0.375, ScriptedBits.Random(high, low, 0, 0)).Draw(0));
        Assert.False(new GeometricGaps(0.375, ScriptedBits.Random(high, low, ulong.MaxValue, ulong.MaxValue)).Draw(0));
        var bits = new ScriptedBits(high, low - 1);
        Assert.True(new GeometricGaps(0.375, new SecureRandom(bits)).Draw(0));
        Assert.Equal(2, bits.Consumed);
    }
}
