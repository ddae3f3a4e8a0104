using MathNet.Numerics.Distributions;

namespace Accounting.TrainerAdapters.Tests.Support;

/// <summary>
/// Hypothesis tests for samplers that cannot be seeded. Each statistical test (each [Theory] row counts as one) fails a
/// correct sampler with probability at most <see cref="PerTest"/> = 10^-4, split evenly (Bonferroni) over its
/// assertions. The suite has 50 such tests, so a correct build fails a run with probability below 50·10^-4 = 0.5%;
/// sample sizes are chosen so that the deviations named in each test are caught with power near 1 at that level.
/// </summary>
internal static class Significance
{
    public const double PerTest = 1e-4;

    /// <summary>Two-sided z-test of a statistic that is N(0, 1) under the null hypothesis.</summary>
    public static void AssertZ(double z, double alpha, string what)
    {
        var critical = Normal.InvCDF(0, 1, 1 - (alpha / 2));
        Assert.True(Math.Abs(z) <= critical, $"{what}: |z| = {Math.Abs(z):F3} > {critical:F3} at α = {alpha:E1}");
    }

    /// <summary>
    /// Two-sided test of a positive statistic that is approximately a scaled χ², by matching its exact mean and
    /// variance to c·χ²_ν (Satterthwaite 1946: c = variance/(2·mean), ν = 2·mean²/variance); unlike a z-test this keeps
    /// the skew of sums of squares.
    /// </summary>
    public static void AssertScaledChiSquare(double statistic, double mean, double variance, double alpha, string what)
    {
        var (scale, degreesOfFreedom) = (variance / (2 * mean), 2 * mean * mean / variance);
        var (low, high) = (scale * ChiSquared.InvCDF(degreesOfFreedom, alpha / 2), scale * ChiSquared.InvCDF(degreesOfFreedom, 1 - (alpha / 2)));
        Assert.True(
            statistic >= low && statistic <= high,
            $"{what}: {statistic:G6} outside [{low:G6}, {high:G6}] (mean {mean:G6}, variance {variance:G6}, α = {alpha:E1})");
    }

    /// <summary>Exact two-sided binomial test: neither tail of Binomial(trials, p) at the count may be below α/2.</summary>
    public static void AssertBinomial(long successes, int trials, double p, double alpha, string what)
    {
        var atMost = Binomial.CDF(p, trials, successes);
        var atLeast = successes == 0 ? 1 : 1 - Binomial.CDF(p, trials, successes - 1);
        Assert.True(
            Math.Min(atMost, atLeast) >= alpha / 2,
            $"{what}: {successes} of {trials} at p = {p:R}; P(≤) = {atMost:E3}, P(≥) = {atLeast:E3}, α = {alpha:E1}");
    }

    /// <summary>Upper-tail chi-square test.</summary>
    public static void AssertChiSquare(double statistic, int degreesOfFreedom, double alpha, string what)
    {
        var critical = ChiSquared.InvCDF(degreesOfFreedom, 1 - alpha);
        Assert.True(
            statistic <= critical,
            $"{what}: χ² = {statistic:F2} > {critical:F2} ({degreesOfFreedom} degrees of freedom, α = {alpha:E1})");
    }

    /// <summary>
    /// Pearson's χ² of observed counts against probabilities, after merging cells from both ends until every expected
    /// count is at least 5 (the usual validity rule). Returns the statistic and its degrees of freedom.
    /// </summary>
    public static (double Statistic, int DegreesOfFreedom) PearsonChiSquare(IReadOnlyList<long> observed, IReadOnlyList<double> probabilities)
    {
        var total = observed.Sum();
        var cells = new List<(double Expected, long Observed)>();
        double expected = 0;
        long count = 0;
        for (var i = 0; i < observed.Count; i++)
        {
            expected += probabilities[i] * total;
            count += observed[i];
            if (expected >= 5)
            {
                cells.Add((expected, count));
                (expected, count) = (0, 0);
            }
        }
        if (cells.Count > 0)
        {
            var last = cells[^1];
            cells[^1] = (last.Expected + expected, last.Observed + count); // Fold the thin upper tail into the last cell.
        }
        var statistic = cells.Sum(c => (c.Observed - c.Expected) * (c.Observed - c.Expected) / c.Expected);
        return (statistic, cells.Count - 1);
    }

    /// <summary>
    /// One-sample Kolmogorov–Smirnov test: D = sup |F_n − F| against the asymptotic critical value
    /// √(−ln(α/2)/2)/√n (Massart 1990's constant in the Dvoretzky–Kiefer–Wolfowitz inequality makes it valid for every n).
    /// </summary>
    public static void AssertKolmogorovSmirnov(double[] samples, Func<double, double> cdf, double alpha, string what)
    {
        var sorted = (double[])samples.Clone();
        Array.Sort(sorted);
        var n = sorted.Length;
        double d = 0;
        for (var i = 0; i < n; i++)
        {
            var f = cdf(sorted[i]);
            d = Math.Max(d, Math.Max(((i + 1.0) / n) - f, f - ((double)i / n)));
        }
        AssertKolmogorovSmirnovDistance(d, n, alpha, what);
    }

    /// <summary>
    /// The Kolmogorov–Smirnov test for an integer-valued distribution, from the counts and probabilities of its support
    /// in order: F_n and F are step functions with jumps only there, so D = max_k |F_n(k) − F(k)|. The DKW inequality
    /// holds for every F, so the same critical value is valid (conservative for a discrete F).
    /// </summary>
    public static void AssertKolmogorovSmirnov(IReadOnlyList<long> counts, IReadOnlyList<double> probabilities, double alpha, string what)
    {
        var n = counts.Sum();
        double empirical = 0, expected = 0, d = 0;
        for (var k = 0; k < counts.Count; k++)
        {
            empirical += (double)counts[k] / n;
            expected += probabilities[k];
            d = Math.Max(d, Math.Abs(empirical - expected));
        }
        AssertKolmogorovSmirnovDistance(d, n, alpha, what);
    }

    private static void AssertKolmogorovSmirnovDistance(double d, long n, double alpha, string what)
    {
        var critical = Math.Sqrt(-Math.Log(alpha / 2) / 2) / Math.Sqrt(n);
        Assert.True(d <= critical, $"{what}: D = {d:E3} > {critical:E3} (n = {n}, α = {alpha:E1})");
    }
}
