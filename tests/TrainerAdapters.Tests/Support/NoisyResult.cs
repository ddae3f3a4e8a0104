using MathNet.Numerics.Distributions;

namespace Accounting.TrainerAdapters.Tests.Support;

/// <summary>
/// Checks of a noisy aggregate against the value the test computed itself, given the standard deviation of the
/// Gaussian noise on each coordinate.
/// </summary>
internal static class NoisyResult
{
    /// <summary>
    /// Each coordinate within 6 standard deviations of its expectation (a correct result misses with probability
    /// 2·10^-9 per coordinate), and Σz² inside the two-sided χ²_n interval at <paramref name="alpha"/>, so the noise is
    /// neither missing nor larger than the service's.
    /// </summary>
    public static void AssertWithinNoise(IReadOnlyList<double> observed, IReadOnlyList<double> expected, double deviation, double alpha, string what)
    {
        Assert.Equal(expected.Count, observed.Count);
        var sum = 0.0;
        for (var i = 0; i < observed.Count; i++)
        {
            var z = (observed[i] - expected[i]) / deviation;
            Assert.True(Math.Abs(z) <= 6, $"{what}: coordinate {i} is {observed[i]:G6}, expected {expected[i]:G6} ± {deviation:G3} (z = {z:F2})");
            sum += z * z;
        }
        var (low, high) = (ChiSquared.InvCDF(observed.Count, alpha / 2), ChiSquared.InvCDF(observed.Count, 1 - (alpha / 2)));
        Assert.True(sum >= low && sum <= high, $"{what}: Σz² = {sum:F1} outside [{low:F1}, {high:F1}] for {observed.Count} coordinates");
    }

    /// <summary>
    /// Guards a test's power: a driver that returned <paramref name="wrong"/> plus the same noise instead of
    /// <paramref name="expected"/> plus noise fails <see cref="AssertWithinNoise"/> whenever the correct one passes,
    /// because its distance from the expectation in noise units, D, is more than twice √u (u the χ² upper bound): then
    /// its Σz² ≥ (D − √u)² &gt; u.
    /// </summary>
    public static void AssertDistinguishable(IReadOnlyList<double> expected, IReadOnlyList<double> wrong, double deviation, double alpha, string what)
    {
        var distance = Math.Sqrt(expected.Zip(wrong, (e, w) => (e - w) / deviation).Sum(z => z * z));
        var bound = 2 * Math.Sqrt(ChiSquared.InvCDF(expected.Count, 1 - (alpha / 2)));
        Assert.True(distance > bound, $"the test cannot tell {what} from the right result: distance {distance:F1} ≤ {bound:F1} noise units");
    }
}
