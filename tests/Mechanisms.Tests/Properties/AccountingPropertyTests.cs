using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Conversion;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;
using CsCheck;

namespace Accounting.Mechanisms.Tests.Properties;

/// <summary>Randomised properties of the accounting core (CsCheck prints the seed of any failing case).</summary>
public class AccountingPropertyTests
{
    // A small grid keeps each case cheap; the properties do not depend on which orders are used.
    private static readonly OrderGrid Grid = new("property", 1, [1.5, 2, 3.25, 5, 8, 16, 32, 64]);
    private const NeighbouringRelation AddRemove = NeighbouringRelation.AddOrRemoveOne;

    private static readonly Gen<double> Rate = Gen.Double[1e-4, 1];
    private static readonly Gen<double> Sigma = Gen.Double[0.5, 100];
    private static readonly Gen<long> Steps = Gen.Long[1, 100_000];

    private static double Epsilon(double q, double sigma, long steps) => RdpConversion.Epsilon(
        RdpAccountant.Curve(new TrainingPlan(steps, SamplingScheme.Poisson, q).RunEvent(sigma), Grid, AddRemove), 1e-5).Epsilon;

    [Fact]
    public void Composition_adds_curves() =>
        Gen.Select(Rate, Sigma, Rate, Sigma).Sample((q1, s1, q2, s2) =>
        {
            PrivacyEvent a = new PoissonSampledEvent(q1, new GaussianEvent(s1)), b = new PoissonSampledEvent(q2, new GaussianEvent(s2));
            var together = RdpAccountant.Curve(new ComposedEvent([a, b]), Grid, AddRemove);
            var apart = RdpAccountant.Curve(a, Grid, AddRemove).Plus(RdpAccountant.Curve(b, Grid, AddRemove));
            return together.Epsilons.SequenceEqual(apart.Epsilons);
        }, iter: 100);

    [Fact]
    public void Epsilon_grows_with_steps() =>
        Gen.Select(Rate, Sigma, Steps, Gen.Long[1, 1000]).Sample((q, sigma, steps, more) =>
            Epsilon(q, sigma, steps) <= Epsilon(q, sigma, steps + more), iter: 100);

    [Fact]
    public void Epsilon_grows_with_the_sampling_rate() =>
        Gen.Select(Rate, Rate, Sigma, Steps).Sample((q1, q2, sigma, steps) =>
            Epsilon(Math.Min(q1, q2), sigma, steps) <= Epsilon(Math.Max(q1, q2), sigma, steps), iter: 100);

    [Fact]
    public void Epsilon_shrinks_with_more_noise() =>
        Gen.Select(Rate, Sigma, Sigma, Steps).Sample((q, s1, s2, steps) =>
            Epsilon(q, Math.Max(s1, s2), steps) <= Epsilon(q, Math.Min(s1, s2), steps), iter: 100);

    [Fact]
    public void Calibrated_noise_is_one_sided() =>
        Gen.Select(Gen.Double[1e-3, 0.5], Gen.Long[1, 10_000], Gen.Double[0.5, 20], Gen.Double[1e-9, 1e-3]).Sample((q, steps, epsilon, delta) =>
        {
            var plan = new TrainingPlan(steps, SamplingScheme.Poisson, q);
            var target = new EpsilonDeltaTarget(epsilon, delta);
            var sigma = NoiseCalibration.SmallestNoiseMultiplier(plan, target, Grid, AddRemove).NoiseMultiplier;
            double At(double s) => RdpConversion.Epsilon(RdpAccountant.Curve(plan.RunEvent(s), Grid, AddRemove), delta).Epsilon;
            return At(sigma) <= epsilon && At(sigma * (1 - 1e-6)) > epsilon;
        }, iter: 30);
}
