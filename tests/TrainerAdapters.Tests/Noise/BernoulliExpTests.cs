using System.Numerics;
using Accounting.TrainerAdapters.Noise;
using Accounting.TrainerAdapters.Tests.Support;

namespace Accounting.TrainerAdapters.Tests.Noise;

public sealed class BernoulliExpTests
{
    [Fact]
    public void Exp_of_zero_is_certain_and_draws_nothing()
    {
        var bits = new ScriptedBits();
        Assert.True(BernoulliExp.Sample(new SecureRandom(bits), 0, 1));
        Assert.Equal(0, bits.Consumed);
    }

    [Theory]
    [InlineData("1", "10")]
    [InlineData("1", "2")]
    [InlineData("1", "1")]
    [InlineData("3", "2")]
    [InlineData("27", "10")]
    [InlineData("10", "1")]
    [InlineData("10000000000000000000000000000000000000007", "10000000000000000000000000000000000000000")]
    public void Frequencies_match_exp_of_minus_gamma(string numerator, string denominator)
    {
        // 3·10^5 draws, exact binomial test: detects a 1% relative error of e^{−γ} for γ ≤ 2.7 and 15% at γ = 10.
        const int Draws = 300_000;
        var (n, d) = (BigInteger.Parse(numerator), BigInteger.Parse(denominator));
        var random = new SecureRandom();
        var successes = 0L;
        for (var i = 0; i < Draws; i++)
        {
            successes += BernoulliExp.Sample(random, n, d) ? 1 : 0;
        }
        var p = Math.Exp(-(double)n / (double)d);
        Significance.AssertBinomial(successes, Draws, p, Significance.PerTest, $"Bernoulli(exp(−{numerator}/{denominator}))");
    }
}
