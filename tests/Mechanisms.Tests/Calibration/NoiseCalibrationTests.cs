using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Conversion;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;
using Accounting.Mechanisms.Validation;

namespace Accounting.Mechanisms.Tests.Calibration;

public class NoiseCalibrationTests
{
    private static readonly OrderGrid Grid = OrderGrids.DpAccounting;
    private const NeighbouringRelation AddRemove = NeighbouringRelation.AddOrRemoveOne;

    // dp_accounting's calibration docs: ε = 8, δ = 1e-5, q = 0.04, 2250 steps → σ ≈ 1.4159. Its best orders are
    // fractional, where dp_accounting overestimates RDP, so it needs slightly more noise; ours is exact there and
    // lands at 1.41579, 8e-5 below (measured). Bound: below theirs, within 1e-4.
    [Fact]
    public void Dp_sgd_calibration_matches_dp_accounting()
    {
        var sigma = Calibrate(new TrainingPlan(2250, SamplingScheme.Poisson, 0.04), new EpsilonDeltaTarget(8, 1e-5)).NoiseMultiplier;
        Assert.InRange(sigma, 1.4159 * (1 - 1e-4), 1.4159);
    }

    // dp_accounting docs: the Gaussian alone calibrated to (1, 1e-5) with RDP gives σ = 4.045389 (printed to 7
    // digits; its search stops on the high side of a 1e-6 bracket).
    // Targets met with almost no noise (a huge ε) stop at the search's floor instead of chasing σ → 0
    // through values that take seconds each; the floor still meets the target.
    [Theory]
    [InlineData(1e300, 0.04)]
    [InlineData(1e300, 1)]
    public void Targets_met_with_almost_no_noise_get_the_floor_noise_multiplier(double epsilon, double samplingRate)
    {
        var plan = new TrainingPlan(2250, SamplingScheme.Poisson, samplingRate);
        var result = Calibrate(plan, new EpsilonDeltaTarget(epsilon, 1e-5));
        Assert.Equal(NoiseCalibration.MinNoiseMultiplier, result.NoiseMultiplier);
        var spent = RdpConversion.Epsilon(plan.RunEvent(result.NoiseMultiplier), Grid, AddRemove, 1e-5).Epsilon;
        Assert.True(spent <= epsilon, $"ε = {spent} at the floor");
    }

    [Fact]
    public void Single_gaussian_calibration_matches_dp_accounting()
    {
        var sigma = Calibrate(new TrainingPlan(1, SamplingScheme.None), new EpsilonDeltaTarget(1, 1e-5)).NoiseMultiplier;
        Assert.InRange(sigma, 4.045389 * (1 - 2e-6), 4.045389 + 5e-7);
    }

    public static TheoryData<TrainingPlan, double, double> Plans() => new()
    {
        { new TrainingPlan(2250, SamplingScheme.Poisson, 0.04), 8, 1e-5 },
        { new TrainingPlan(10_000, SamplingScheme.Poisson, 0.001), 1, 1e-6 },
        { new TrainingPlan(1_000_000, SamplingScheme.Poisson, 1e-4), 3, 1e-8 },
        { new TrainingPlan(100, SamplingScheme.None), 10, 1e-5 },
        { new TrainingPlan(5, SamplingScheme.Poisson, 1), 0.5, 1e-3 },
    };

    // The one-sided contract: σ meets the target; σ·(1 − 1e-6) does not.
    [Theory]
    [MemberData(nameof(Plans))]
    public void Calibrated_noise_meets_the_target_and_a_hair_less_does_not(TrainingPlan plan, double epsilon, double delta)
    {
        var result = Calibrate(plan, new EpsilonDeltaTarget(epsilon, delta));
        Assert.True(EpsilonOf(plan, result.NoiseMultiplier, delta) <= epsilon);
        Assert.True(EpsilonOf(plan, result.NoiseMultiplier * (1 - 1e-6), delta) > epsilon);
        Assert.Equal(EpsilonOf(plan, result.NoiseMultiplier, delta), result.Epsilon);
    }

    [Fact]
    public void Calibration_against_a_quota_remainder_counts_what_is_spent()
    {
        var plan = new TrainingPlan(1250, SamplingScheme.Poisson, 0.04);
        var spent = RdpAccountant.Curve(plan.RunEvent(1.5, 1000), Grid, AddRemove);
        var target = new EpsilonDeltaTarget(8, 1e-5);
        var result = NoiseCalibration.SmallestNoiseMultiplier(plan, target, Grid, AddRemove, spent);
        double Total(double sigma) => RdpConversion.Epsilon(spent.Plus(RdpAccountant.Curve(plan.RunEvent(sigma), Grid, AddRemove)), 1e-5).Epsilon;
        Assert.True(Total(result.NoiseMultiplier) <= 8);
        Assert.True(Total(result.NoiseMultiplier * (1 - 1e-6)) > 8);
        Assert.True(result.NoiseMultiplier > Calibrate(plan, target).NoiseMultiplier, "a partly spent quota needs more noise");
    }

    // Gaussian steps: ρ = T/(2σ²) (Bun & Steinke 2016, Prop. 1.6), so σ = √(T/(2ρ)).
    [Fact]
    public void Zcdp_target_for_gaussian_steps_matches_the_closed_form()
    {
        var plan = new TrainingPlan(400, SamplingScheme.None);
        var result = NoiseCalibration.SmallestNoiseMultiplier(plan, new ZcdpTarget(2), Grid, AddRemove);
        var exact = Math.Sqrt(400 / (2.0 * 2));
        Assert.InRange(result.NoiseMultiplier, exact, exact * (1 + 2e-9));
        Assert.True(result.Rho <= 2);
    }

    [Fact]
    public void Zcdp_target_with_subsampling_is_refused()
    {
        var error = Assert.Throws<InvalidParameterException>(() => NoiseCalibration.SmallestNoiseMultiplier(
            new TrainingPlan(10, SamplingScheme.Poisson, 0.1), new ZcdpTarget(1), Grid, AddRemove));
        Assert.Equal("plan.sampling", Assert.Single(error.Errors).Field);
    }

    [Fact]
    public void A_target_below_what_the_grid_can_certify_is_unreachable()
    {
        var error = Assert.Throws<UnreachableTargetException>(() =>
            Calibrate(new TrainingPlan(10, SamplingScheme.Poisson, 0.1), new EpsilonDeltaTarget(1e-3, 1e-5)));
        Assert.Equal("target.epsilon", error.Field);
    }

    [Fact]
    public void An_exhausted_quota_is_unreachable()
    {
        var plan = new TrainingPlan(10, SamplingScheme.Poisson, 0.1);
        var spent = RdpAccountant.Curve(plan.RunEvent(0.5), Grid, AddRemove);
        Assert.Throws<UnreachableTargetException>(() =>
            NoiseCalibration.SmallestNoiseMultiplier(plan, new EpsilonDeltaTarget(1, 1e-5), Grid, AddRemove, spent));
    }

    [Fact]
    public void Invalid_plans_and_targets_name_every_field()
    {
        var error = Assert.Throws<InvalidParameterException>(() =>
            Calibrate(new TrainingPlan(0, SamplingScheme.Poisson, 1.5), new EpsilonDeltaTarget(double.NaN, 1)));
        Assert.Equal(
            ["plan.steps", "plan.samplingRate", "target.epsilon", "target.delta"],
            error.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Sampling_without_replacement_needs_replace_one()
    {
        var plan = new TrainingPlan(10, SamplingScheme.WithoutReplacement, DatasetSize: 1000, BatchSize: 10);
        Assert.Throws<InvalidParameterException>(() => Calibrate(plan, new EpsilonDeltaTarget(1, 1e-5)));
        var result = NoiseCalibration.SmallestNoiseMultiplier(plan, new EpsilonDeltaTarget(1, 1e-5), Grid, NeighbouringRelation.ReplaceOne);
        Assert.True(result.Epsilon <= 1);
    }

    private static CalibrationResult Calibrate(TrainingPlan plan, EpsilonDeltaTarget target) =>
        NoiseCalibration.SmallestNoiseMultiplier(plan, target, Grid, AddRemove);

    private static double EpsilonOf(TrainingPlan plan, double sigma, double delta) =>
        RdpConversion.Epsilon(RdpAccountant.Curve(plan.RunEvent(sigma), Grid, AddRemove), delta).Epsilon;
}
