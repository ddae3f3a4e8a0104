using Accounting.Mechanisms.Conversion;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;
using Accounting.Mechanisms.Validation;
using Accounting.Mechanisms.Zcdp;

namespace Accounting.Mechanisms.Calibration;

/// <summary>The largest number of steps a plan can run at a given noise multiplier within a target.</summary>
public static class StepCalibration
{
    /// <summary>
    /// The largest T such that T steps of the plan at σ, composed after <paramref name="spent"/>, convert to at most
    /// the target; 0 when not even one step fits. The plan's own step count is ignored.
    /// </summary>
    public static long LargestSteps(
        TrainingPlan plan, double noiseMultiplier, EpsilonDeltaTarget target, OrderGrid grid,
        NeighbouringRelation relation, RdpCurve? spent = null)
    {
        ArgumentNullException.ThrowIfNull(grid);
        Validate(plan with { Steps = 1 }, noiseMultiplier, target, relation);
        var step = RdpAccountant.Curve(plan.StepEvent(noiseMultiplier), grid, relation);
        var logDelta = Math.Log(target.Delta);
        long best = 0;
        for (var i = 0; i < grid.Count; i++)
        {
            var alpha = grid.Orders[i];
            var already = spent?.Epsilons[i] ?? 0;
            var perStep = step.Epsilons[i];
            // The same rounded arithmetic as a run's curve (RdpCurve.Times, then Plus), so the answer is exact for it.
            best = Math.Max(best, LargestFitting(t => RdpConversion.EpsilonAt(
                alpha, Upward.Add(already, Upward.Multiply(perStep, t)), logDelta) <= target.Epsilon));
        }
        return best;
    }

    /// <summary>The largest T whose ρ, added to <paramref name="spentRho"/>, is at most the target ρ.</summary>
    public static long LargestSteps(
        TrainingPlan plan, double noiseMultiplier, ZcdpTarget target, NeighbouringRelation relation, double spentRho = 0)
    {
        Validate(plan with { Steps = 1 }, noiseMultiplier, target, relation);
        var perStep = ZcdpAccountant.Rho(plan.StepEvent(noiseMultiplier))
            ?? throw new InvalidParameterException([new("plan.sampling", "a zCDP target needs steps with a finite ρ (no subsampling)")]);
        return LargestFitting(t => Upward.Add(spentRho, Upward.Multiply(perStep, t)) <= target.Rho);
    }

    // Binary search for the largest t ≥ 0 with fits(t), for fits monotone (true up to some t, then false).
    private static long LargestFitting(Func<long, bool> fits)
    {
        if (!fits(0))
        {
            return 0;
        }
        long low = 0, high = 1;
        while (high < long.MaxValue / 2 && fits(high))
        {
            (low, high) = (high, high * 2);
        }
        if (fits(high))
        {
            return high; // 2^62 steps: beyond any plan, reported as is
        }
        while (high - low > 1)
        {
            var mid = low + (high - low) / 2;
            (low, high) = fits(mid) ? (mid, high) : (low, mid);
        }
        return low;
    }

    private static void Validate(TrainingPlan plan, double noiseMultiplier, PrivacyTarget target, NeighbouringRelation relation)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(target);
        var errors = plan.Validate().Concat(target.Validate()).ToList();
        if (!(double.IsFinite(noiseMultiplier) && noiseMultiplier > 0))
        {
            errors.Add(new("noiseMultiplier", "must be a finite number > 0"));
        }
        InvalidParameterException.ThrowIfAny(errors);
        EventValidation.EnsureAccountable(plan.StepEvent(noiseMultiplier), relation, "plan");
    }
}
