using System.Numerics;
using Accounting.TrainerAdapters.Noise;
using Accounting.TrainerAdapters.Tests.Support;

namespace Accounting.TrainerAdapters.Tests.Noise;

public sealed class SecureRandomTests
{
    private const double TwoToMinus53 = 1.0 / (1L << 53);

    [Fact]
    public void Doubles_are_the_top_53_bits_of_a_word()
    {
        var random = ScriptedBits.Random(0, ulong.MaxValue, 1UL << 11, (1UL << 11) - 1);
        Assert.Equal(0, random.NextDouble());
        Assert.Equal(1 - TwoToMinus53, random.NextDouble());
        Assert.Equal(TwoToMinus53, random.NextDouble());
        Assert.Equal(0, random.NextDouble());
    }

    [Fact]
    public void Open_doubles_skip_zero()
    {
        var bits = new ScriptedBits(0, (1UL << 11) - 1, 1UL << 11);
        Assert.Equal(TwoToMinus53, new SecureRandom(bits).NextOpenDouble());
        Assert.Equal(3, bits.Consumed);
    }

    [Fact]
    public void Bounded_integers_reject_the_words_that_would_bias_them()
    {
        // s = 3: 2^64 mod 3 = 1, so the word 0 (low product 0 < 1) is rejected and the next one decides.
        var bits = new ScriptedBits(0, ulong.MaxValue);
        Assert.Equal(2UL, new SecureRandom(bits).NextUInt64(3));
        Assert.Equal(2, bits.Consumed);
        // s = 3·2^62: 2^64 mod s = 2^62, so the word 0 is rejected and the word 2 (product 1.5·2^64) gives 1.
        var bitsLarge = new ScriptedBits(0, 2);
        Assert.Equal(1UL, new SecureRandom(bitsLarge).NextUInt64(3UL << 62));
        Assert.Equal(2, bitsLarge.Consumed);
    }

    [Fact]
    public void Integer_ranges_may_span_the_whole_long_range()
    {
        // The word 0 is always among the rejected ones (its low product 0 is below 2^64 mod s); 1 maps to the minimum.
        Assert.Equal(long.MinValue, ScriptedBits.Random(1).NextInt64(long.MinValue, long.MaxValue));
        Assert.Equal(-5, ScriptedBits.Random(1).NextInt64(-5, 5));
        Assert.Equal(4, ScriptedBits.Random(ulong.MaxValue).NextInt64(-5, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SecureRandom().NextInt64(3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SecureRandom().NextUInt64(0));
    }

    [Theory]
    [InlineData(0.5, 0x7FFF_FFFF_FFFF_FFFFUL, true)]
    [InlineData(0.5, 0x8000_0000_0000_0000UL, false)]
    [InlineData(1.0 / 3, 0x5555_5555_5555_53FFUL, true)] // The double 1/3 is 0x15555555555555·2^-54: word 0x…5400.
    [InlineData(1.0 / 3, 0x5555_5555_5555_5400UL, false)] // Equal to p's whole expansion, so U ≥ p.
    [InlineData(0.9999999999999999, 0xFFFF_FFFF_FFFF_F7FFUL, true)] // 1 − 2^-53.
    [InlineData(0.9999999999999999, 0xFFFF_FFFF_FFFF_F800UL, false)]
    public void Bernoulli_compares_with_the_exact_binary_value_of_p(double p, ulong word, bool expected)
    {
        var bits = new ScriptedBits(word);
        Assert.Equal(expected, new SecureRandom(bits).NextBernoulli(p));
        Assert.Equal(1, bits.Consumed);
    }

    [Fact]
    public void Bernoulli_of_the_smallest_subnormal_reads_past_the_first_1074_bits()
    {
        // p = 2^-1074: bit 1074 is the only one set; it lies in the 17th word, at 2^14 within it.
        var zeros = new ulong[16];
        Assert.True(ScriptedBits.Random([.. zeros, (1UL << 14) - 1]).NextBernoulli(double.Epsilon));
        Assert.False(ScriptedBits.Random([.. zeros, 1UL << 14]).NextBernoulli(double.Epsilon));
        var early = new ScriptedBits(1);
        Assert.False(new SecureRandom(early).NextBernoulli(double.Epsilon));
        Assert.Equal(1, early.Consumed);
    }

    [Fact]
    public void Certain_outcomes_consume_no_randomness()
    {
        var random = ScriptedBits.Random();
        Assert.True(random.NextBernoulli(1.0));
        Assert.False(random.NextBernoulli(0.0));
        Assert.True(random.NextBernoulli(5, 5));
        Assert.False(random.NextBernoulli(0, 7));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0000000000000002)]
    [InlineData(double.NaN)]
    public void Bernoulli_rejects_non_probabilities(double p) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SecureRandom().NextBernoulli(p));

    [Fact]
    public void Rational_Bernoulli_rejects_non_probabilities()
    {
        var random = new SecureRandom();
        Assert.Throws<ArgumentOutOfRangeException>(() => random.NextBernoulli(4, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => random.NextBernoulli(-1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => random.NextBernoulli(0, 0));
    }

    [Fact]
    public void Every_bit_of_the_cryptographic_source_is_fair()
    {
        // 2^16 words; each of the 64 bit positions is Binomial(2^16, ½). Bonferroni over the positions.
        const int Words = 1 << 16;
        var random = new SecureRandom();
        var ones = new long[64];
        for (var i = 0; i < Words; i++)
        {
            var word = random.NextUInt64();
            for (var bit = 0; bit < 64; bit++)
            {
                ones[bit] += (long)((word >> bit) & 1);
            }
        }
        for (var bit = 0; bit < 64; bit++)
        {
            Significance.AssertBinomial(ones[bit], Words, 0.5, Significance.PerTest / 64, $"bit {bit}");
        }
    }

    [Fact]
    public void Small_ranges_are_uniform()
    {
        // 10^6 draws from {0, …, 9}: a cell off by 1% of its mass (10^3 draws) moves χ² by ≈ 11 against a critical 33.7.
        const int Draws = 1_000_000;
        var random = new SecureRandom();
        var counts = new long[10];
        for (var i = 0; i < Draws; i++)
        {
            counts[random.NextInt64(0, 10)]++;
        }
        var (statistic, df) = Significance.PearsonChiSquare(counts, Enumerable.Repeat(0.1, 10).ToArray());
        Significance.AssertChiSquare(statistic, df, Significance.PerTest, "NextInt64(0, 10)");
    }

    [Fact]
    public void Large_ranges_are_uniform_where_shortcuts_would_be_biased()
    {
        // s = 3·2^62. Word mod s would put half the mass in the first third of the range; the high word of word·s
        // without rejection would give the values ≡ 0 (mod 3) two preimages and the others one (½, ¼, ¼). Both
        // partitions must be uniform; α/2 each.
        const int Draws = 300_000;
        var random = new SecureRandom();
        var thirds = new long[3];
        var residues = new long[3];
        for (var i = 0; i < Draws; i++)
        {
            var value = random.NextUInt64(3UL << 62);
            thirds[value >> 62]++;
            residues[value % 3]++;
        }
        double[] uniform = [1.0 / 3, 1.0 / 3, 1.0 / 3];
        foreach (var (name, counts) in new[] { ("thirds of [0, 3·2^62)", thirds), ("residues mod 3", residues) })
        {
            var (statistic, df) = Significance.PearsonChiSquare(counts, uniform);
            Significance.AssertChiSquare(statistic, df, Significance.PerTest / 2, name);
        }
    }

    [Fact]
    public void Doubles_are_uniform()
    {
        const int Draws = 1_000_000;
        var random = new SecureRandom();
        var closed = new double[Draws];
        var open = new double[Draws];
        for (var i = 0; i < Draws; i++)
        {
            closed[i] = random.NextDouble();
            open[i] = random.NextOpenDouble();
        }
        Assert.All(open, u => Assert.True(u is > 0 and < 1));
        Significance.AssertKolmogorovSmirnov(closed, u => u, Significance.PerTest / 2, "NextDouble");
        Significance.AssertKolmogorovSmirnov(open, u => u, Significance.PerTest / 2, "NextOpenDouble");
    }

    [Theory]
    [InlineData(1e-3)]
    [InlineData(1.0 / 3)]
    [InlineData(0.5)]
    [InlineData(0.999)]
    public void Bernoulli_frequencies_match_p(double p)
    {
        const int Draws = 1_000_000;
        var random = new SecureRandom();
        var successes = 0L;
        for (var i = 0; i < Draws; i++)
        {
            successes += random.NextBernoulli(p) ? 1 : 0;
        }
        Significance.AssertBinomial(successes, Draws, p, Significance.PerTest, $"Bernoulli({p})");
    }

    [Fact]
    public void Rational_Bernoulli_frequencies_match_for_small_and_huge_denominators()
    {
        const int Draws = 300_000;
        var random = new SecureRandom();
        var huge = BigInteger.Pow(10, 30);
        (BigInteger Numerator, BigInteger Denominator)[] cases = [(2, 7), (huge, 3 * huge + 1), ((BigInteger.One << 70) - 1, BigInteger.One << 71)];
        foreach (var (numerator, denominator) in cases)
        {
            var successes = 0L;
            for (var i = 0; i < Draws; i++)
            {
                successes += random.NextBernoulli(numerator, denominator) ? 1 : 0;
            }
            var p = (double)numerator / (double)denominator;
            Significance.AssertBinomial(successes, Draws, p, Significance.PerTest / cases.Length, $"Bernoulli({numerator}/{denominator})");
        }
    }

    [Fact]
    public void Coins_are_fair()
    {
        const int Draws = 1_000_000;
        var random = new SecureRandom();
        var heads = 0L;
        for (var i = 0; i < Draws; i++)
        {
            heads += random.NextBoolean() ? 1 : 0;
        }
        Significance.AssertBinomial(heads, Draws, 0.5, Significance.PerTest, "NextBoolean");
    }
}
