using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Conversion;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Mechanisms.Tests.Calibration;

public class StepCalibrationTests
{
    private static readonly OrderGrid Grid = OrderGrids.DpAccounting;
    private const NeighbouringRelation AddRemove = NeighbouringRelation.AddOrRemoveOne;

    [Theory]
    [InlineData(0.04, 1.5, 8)]
    [InlineData(0.01, 1.0, 2)]
    [InlineData(1, 20, 1)]
    [InlineData(0.001, 60, 1)] // a tiny step: millions fit, where an order's room must be judged with care
    public void Largest_steps_fit_and_one_more_does_not(double q, double sigma, double epsilon)
    {
        var plan = new TrainingPlan(1, SamplingScheme.Poisson, q);
        var target = new EpsilonDeltaTarget(epsilon, 1e-5);
        var steps = StepCalibration.LargestSteps(plan, sigma, target, Grid, AddRemove);
        Assert.True(steps > 0);
        Assert.True(EpsilonOf(plan, sigma, steps) <= epsilon);
        Assert.True(EpsilonOf(plan, sigma, steps + 1) > epsilon);
    }

    // What a running task is told it has left: from a spent curve, T more steps fit and T + 1 do not, by the public
    // conversion of the composed curve (the same upward-rounded sum and product a run's curve uses).
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Steps_left_after_spending_fit_and_one_more_does_not(int seed)
    {
        var random = new Random(seed);
        double[] StepCurve() => RdpAccountant.Curve(
            new TrainingPlan(1, SamplingScheme.Poisson, 0.001 + 0.2 * random.NextDouble()).StepEvent(0.5 + 3 * random.NextDouble()), Grid, AddRemove).Epsilons.ToArray();
        for (var trial = 0; trial < 50; trial++)
        {
            var perStep = StepCurve();
            var earlier = random.Next(0, 200); // steps of another task, with its own curve's shape
            var spent = StepCurve().Select(c => c * earlier).ToArray();
            var target = new EpsilonDeltaTarget(0.5 + 10 * random.NextDouble(), 1e-5);
            var steps = StepCalibration.LargestSteps(Grid, perStep, spent, target);
            Assert.True(steps == 0 || EpsilonAfter(spent, perStep, steps) <= target.Epsilon, $"trial {trial}: {steps} steps exceed the target");
            Assert.True(EpsilonAfter(spent, perStep, steps + 1) > target.Epsilon, $"trial {trial}: {steps + 1} steps fit too");
        }
    }

    [Fact]
    public void No_step_fits_a_target_tighter_than_one_step() =>
        Assert.Equal(0, StepCalibration.LargestSteps(
            new TrainingPlan(1, SamplingScheme.None), 0.5, new EpsilonDeltaTarget(0.5, 1e-5), Grid, AddRemove));

    // ρ per Gaussian step is 1/(2σ²) = 0.005 at σ = 10: after 0.005 spent, ρ_B = 1.0025 leaves room for 199.5 steps.
    [Fact]
    public void Zcdp_steps_follow_from_rho_per_step() =>
        Assert.Equal(199, StepCalibration.LargestSteps(new TrainingPlan(1, SamplingScheme.None), 10, new ZcdpTarget(1.0025), AddRemove, 0.005));

    private static double EpsilonAfter(double[] spent, double[] perStep, long steps) =>
        RdpConversion.Epsilon(Grid.Orders.AsSpan(), [.. spent.Zip(perStep, (s, c) => Upward.Add(s, Upward.Multiply(c, steps)))], 1e-5).Epsilon;

    private static double EpsilonOf(TrainingPlan plan, double sigma, long steps) =>
        RdpConversion.Epsilon(RdpAccountant.Curve(plan.RunEvent(sigma, steps), Grid, AddRemove), 1e-5).Epsilon;
}
