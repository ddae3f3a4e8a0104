using Accounting.Mechanisms.Conversion;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Numerics;
using Accounting.Mechanisms.Rdp;
using Accounting.Mechanisms.Validation;
using Accounting.Mechanisms.Zcdp;

namespace Accounting.Mechanisms.Calibration;

/// <summary>
/// The smallest noise multiplier whose planned spend meets a target, from public inputs only (the plan, the target
/// and, for a quota's remainder, what the task has spent). One-sided: the returned σ always meets the target, and
/// σ·(1 − <see cref="RelativeTolerance"/>) does not, unless σ is <see cref="MinNoiseMultiplier"/>, the floor of the search.
/// </summary>
public static class NoiseCalibration
{
    /// <summary>Relative precision of the returned σ.</summary>
    public const double RelativeTolerance = 1e-9;

    // σ is searched up to 8^60 ≈ 1.5e54; beyond that the target is treated as unreachable.
    private const int MaxWidening = 60;

    /// <summary>The least noise multiplier returned: 2^-10 ≈ 0.001 (noise a thousandth of the sensitivity).</summary>
    public const double MinNoiseMultiplier = 1.0 / 1024;

    private static readonly double LogTolerance = -Math.Log(1 - RelativeTolerance);
    private static readonly double MinLogSigma = Math.Log(MinNoiseMultiplier);

    /// <summary>Calibrates to either kind of target; <paramref name="spent"/> and <paramref name="spentRho"/> are what a quota has used.</summary>
    public static CalibrationResult SmallestNoiseMultiplier(
        TrainingPlan plan, PrivacyTarget target, OrderGrid grid, NeighbouringRelation relation,
        RdpCurve? spent = null, double spentRho = 0) => target switch
    {
        EpsilonDeltaTarget t => SmallestNoiseMultiplier(plan, t, grid, relation, spent),
        ZcdpTarget t => SmallestNoiseMultiplier(plan, t, relation, spentRho),
        _ => throw new InvalidParameterException([new("target.type", "must be epsilonDelta or zcdp")]),
    };

    /// <summary>The smallest σ whose run, composed after <paramref name="spent"/>, converts to at most the target ε at its δ.</summary>
    public static CalibrationResult SmallestNoiseMultiplier(
        TrainingPlan plan, EpsilonDeltaTarget target, OrderGrid grid, NeighbouringRelation relation, RdpCurve? spent = null)
    {
        ArgumentNullException.ThrowIfNull(grid);
        Validate(plan, target, relation);
        var orders = grid.Orders.AsSpan().ToArray();
        var already = spent?.Epsilons.ToArray() ?? new double[orders.Length];
        var logDelta = Math.Log(target.Delta);
        double Measure(int i, double logSigma) => RdpConversion.EpsilonAt(
            grid, i, Upward.Add(already[i], RdpAccountant.At(plan.RunEvent(Math.Exp(logSigma)), orders[i])), logDelta);

        if (spent is not null && spent.Grid.Key != grid.Key)
        {
            throw new ArgumentException($"the spent curve is on {spent.Grid.Key}, not {grid.Key}", nameof(spent));
        }
        // With unlimited noise the run costs nothing: the conversion of what is spent is the floor (with an empty
        // spend, the grid's own floor: orders are finite, so tiny ε cannot be certified).
        var floor = RdpConversion.Epsilon(orders, already, target.Delta).Epsilon;
        if (floor >= target.Epsilon)
        {
            throw new UnreachableTargetException("target.epsilon",
                $"no noise multiplier meets ε = {target.Epsilon} at δ = {target.Delta}: even unlimited noise leaves ε = {floor} on grid {grid.Key}");
        }

        // Find a feasible σ, then the crossing of the best order; repeat while any order still meets the target just
        // below it. Every ε(α) is decreasing in σ, so the smallest feasible σ is the smallest crossing over the orders,
        // and an order infeasible at σ stays infeasible below it. The best order at each σ is found by OrderSearch,
        // which returns exactly the minimum over the whole grid.
        (int Index, double Value) BestOrder(double logSigma) => OrderSearch.Minimise(
            plan.RunEvent(Math.Exp(logSigma)), grid.Orders,
            (i, rdp) => RdpConversion.EpsilonAt(grid, i, Upward.Add(already[i], rdp), logDelta));
        var logSigma = 0.0;
        var best = BestOrder(logSigma);
        for (var step = 0; best.Value > target.Epsilon; step++)
        {
            logSigma += step < MaxWidening ? Math.Log(8) : throw new UnreachableTargetException(
                "target.epsilon", $"no noise multiplier up to 8^{MaxWidening} meets ε = {target.Epsilon}");
            best = BestOrder(logSigma);
        }
        while (best.Value <= target.Epsilon && logSigma > MinLogSigma)
        {
            var i = best.Index;
            logSigma = Crossing(x => Measure(i, x) - target.Epsilon, logSigma);
            best = BestOrder(logSigma - LogTolerance);
        }

        // What the run then spends: the conversion of the spent curve plus the run's, as RdpConversion.Epsilon gives it.
        var achieved = BestOrder(logSigma);
        return new CalibrationResult(Math.Exp(logSigma), Math.Max(0, achieved.Value), orders[achieved.Index], null);
    }

    /// <summary>The smallest σ whose run's ρ, added to <paramref name="spentRho"/>, is at most the target ρ.</summary>
    public static CalibrationResult SmallestNoiseMultiplier(
        TrainingPlan plan, ZcdpTarget target, NeighbouringRelation relation, double spentRho = 0)
    {
        Validate(plan, target, relation);
        if (ZcdpAccountant.Rho(plan.StepEvent(1)) is null)
        {
            throw new InvalidParameterException([new("plan.sampling", "a zCDP target needs steps with a finite ρ (no subsampling)")]);
        }
        if (spentRho >= target.Rho)
        {
            throw new UnreachableTargetException("target.rho", $"no noise multiplier meets ρ = {target.Rho}: ρ = {spentRho} is spent already");
        }
        // Steps with a finite ρ at σ = 1 have one at every σ.
        double Rho(double logSigma) => Upward.Add(spentRho, ZcdpAccountant.Rho(plan.RunEvent(Math.Exp(logSigma))) ?? double.PositiveInfinity);
        var logSigma = Crossing(x => Rho(x) - target.Rho, 0);
        return new CalibrationResult(Math.Exp(logSigma), null, null, Rho(logSigma));
    }

    private static void Validate(TrainingPlan plan, PrivacyTarget target, NeighbouringRelation relation)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(target);
        var errors = plan.Validate().Concat(target.Validate()).ToList();
        InvalidParameterException.ThrowIfAny(errors);
        EventValidation.EnsureAccountable(plan.StepEvent(1), relation, "plan");
    }

    // The smallest log σ (to LogTolerance) with g ≤ 0, for g decreasing in log σ, searching out from a start point.
    private static double Crossing(Func<double, double> g, double start)
    {
        double high = start, gHigh = g(high);
        for (var i = 0; gHigh > 0; i++)
        {
            high += i < MaxWidening ? Math.Log(8) : throw new UnreachableTargetException(
                "target", $"no noise multiplier up to 8^{MaxWidening} meets the target");
            gHigh = g(high);
        }
        double low = high, gLow = gHigh;
        while (gLow <= 0)
        {
            // A target met with less noise than MinNoiseMultiplier (an ε in the thousands, a vanishing q) gets that
            // much: more than the smallest, so still within the target, and no search through meaningless σ.
            if (low <= MinLogSigma)
            {
                return low;
            }
            low = Math.Max(low - Math.Log(8), MinLogSigma);
            gLow = g(low);
        }
        return MonotoneRoot.SmallestNonPositive(g, low, gLow, high, gHigh, LogTolerance);
    }
}
