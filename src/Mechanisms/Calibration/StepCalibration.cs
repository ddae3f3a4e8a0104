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
        return LargestSteps(grid, step.Epsilons, spent is null ? new double[grid.Count] : spent.Epsilons, target);
    }

    /// <summary>
    /// The largest T such that <paramref name="spent"/> plus T times <paramref name="perStep"/> (curves on
    /// <paramref name="grid"/>) converts to at most the target; 0 when not even one step fits.
    /// </summary>
    public static long LargestSteps(OrderGrid grid, ReadOnlySpan<double> perStep, ReadOnlySpan<double> spent, EpsilonDeltaTarget target)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(target);
        var logDelta = Math.Log(target.Delta);
        // ε at one order is r + const: the step count where it meets the target is a guess, then checked exactly with
        // the same rounded arithmetic as a run's curve (RdpCurve.Times, then Plus). The order with the largest guess is
        // searched first; after it, an order is searched only if it fits one step more than the best so far (fitting is
        // monotone in the step count), so the answer is the maximum over all orders. An order whose room (target minus
        // its ε now) is short of that step by more than any rounding is ruled out without a conversion: ε at one order
        // grows with the RDP value at slope 1 (Balle et al. 2020, Thm 21), and the composed value is rounded up.
        Span<double> guesses = grid.Count <= 1024 ? stackalloc double[grid.Count] : new double[grid.Count];
        Span<double> reach = grid.Count <= 1024 ? stackalloc double[grid.Count] : new double[grid.Count];
        var first = 0;
        for (var i = 0; i < grid.Count; i++)
        {
            var now = RdpConversion.EpsilonAt(grid, i, spent[i], logDelta);
            var room = target.Epsilon - now;
            reach[i] = room + RoomSlack * (1 + Math.Abs(target.Epsilon) + Math.Abs(now) + Math.Abs(spent[i]));
            guesses[i] = perStep[i] > 0 ? room / perStep[i] : double.PositiveInfinity;
            first = guesses[i] > guesses[first] ? i : first;
        }
        var best = AtLeast(0, grid, first, spent[first], perStep[first], guesses[first], logDelta, target.Epsilon);
        for (var i = 0; i < grid.Count; i++)
        {
            var ruledOut = perStep[i] > 0 && (best + 1) * perStep[i] > reach[i]; // false when reach is NaN: then searched
            best = i == first || ruledOut ? best : AtLeast(best, grid, i, spent[i], perStep[i], guesses[i], logDelta, target.Epsilon);
        }
        return best;
    }

    // Relative slack on an order's room for steps: some 10^4 times every rounding and margin in its conversion.
    private const double RoomSlack = 1e-9;

    // The larger of best and the most steps that fit at the grid's i-th order after spent, each costing cost. Most
    // orders fit no more than best: they are ruled out without the search's closure (an allocation per order).
    private static long AtLeast(long best, OrderGrid grid, int i, double spent, double cost, double guess, double logDelta, double target) =>
        best < long.MaxValue / 4 && Fits(grid, i, spent, cost, best + 1, logDelta, target)
            ? Math.Max(best, MostFitting(grid, i, spent, cost, guess, logDelta, target))
            : best;

    private static long MostFitting(OrderGrid grid, int i, double spent, double cost, double guess, double logDelta, double target) =>
        LargestFitting(t => Fits(grid, i, spent, cost, t, logDelta, target), guess);

    // Whether spent plus t steps, in the rounded arithmetic of a run's curve, converts to at most target at order i.
    private static bool Fits(OrderGrid grid, int i, double spent, double cost, long t, double logDelta, double target) =>
        RdpConversion.EpsilonAt(grid, i, Upward.Add(spent, Upward.Multiply(cost, t)), logDelta) <= target;

    /// <summary>The largest T whose ρ, added to <paramref name="spentRho"/>, is at most the target ρ.</summary>
    public static long LargestSteps(
        TrainingPlan plan, double noiseMultiplier, ZcdpTarget target, NeighbouringRelation relation, double spentRho = 0)
    {
        Validate(plan with { Steps = 1 }, noiseMultiplier, target, relation);
        var perStep = ZcdpAccountant.Rho(plan.StepEvent(noiseMultiplier))
            ?? throw new InvalidParameterException([new("plan.sampling", "a zCDP target needs steps with a finite ρ (no subsampling)")]);
        return LargestFitting(t => Upward.Add(spentRho, Upward.Multiply(perStep, t)) <= target.Rho, (target.Rho - spentRho) / perStep);
    }

    // The largest t ≥ 0 with fits(t), for fits true up to some t and false after, searched outwards from a guess.
    private static long LargestFitting(Func<long, bool> fits, double guess)
    {
        if (!fits(0))
        {
            return 0;
        }
        var start = double.IsFinite(guess) && guess >= 1 ? (long)Math.Min(guess, long.MaxValue / 4) : 1;
        long low, high;
        if (fits(start))
        {
            (low, high) = (start, start + 1);
            for (long width = 1; fits(high); width *= 2)
            {
                if (high >= long.MaxValue / 4)
                {
                    return high; // beyond any plan, reported as is
                }
                (low, high) = (high, high + width);
            }
        }
        else
        {
            (low, high) = (start - 1, start);
            for (long width = 1; low > 0 && !fits(low); width *= 2)
            {
                (low, high) = (Math.Max(0, low - width), low);
            }
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
