using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Conversion;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;
using BenchmarkDotNet.Attributes;

namespace Accounting.Bench;

/// <summary>
/// What a trainer waits on: ε of a planned DP-SGD run on the 156-order dp_accounting grid, σ calibrated for a target,
/// and the steps left that every charge's answer reports. Inputs are the SPEC §6 calibration case (q = 0.04, 2250
/// steps, ε = 8, δ = 1e-5); nothing is cached, so each call computes fresh RDP values (the steps left start from the
/// step's curve, as the service has it cached).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class DpSgdAccountingBenchmarks
{
    private readonly TrainingPlan _plan = new(2250, SamplingScheme.Poisson, 0.04);
    private readonly EpsilonDeltaTarget _target = new(8, 1e-5);
    private double[] _step = [];
    private double[] _quarterSpent = [];

    /// <summary>The step's curve at σ = 1.5, and a quarter of the run spent.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _step = [.. RdpAccountant.Curve(_plan.StepEvent(1.5), OrderGrids.DpAccounting, NeighbouringRelation.AddOrRemoveOne).Epsilons];
        _quarterSpent = [.. _step.Select(c => Upward.Multiply(c, _plan.Steps / 4))];
    }

    /// <summary>ε of the run at σ = 1.5 (Opacus' reference case, on dp_accounting's grid), computing the RDP only at the orders that can attain the minimum.</summary>
    [Benchmark]
    public double EpsilonOfDpSgdRun() =>
        RdpConversion.Epsilon(_plan.RunEvent(1.5), OrderGrids.DpAccounting, NeighbouringRelation.AddOrRemoveOne, 1e-5).Epsilon;

    /// <summary>The same ε from the whole curve (all 156 orders), as a stored curve is computed.</summary>
    [Benchmark]
    public double EpsilonOfDpSgdRunFromWholeCurve() =>
        RdpConversion.Epsilon(
            RdpAccountant.Curve(_plan.RunEvent(1.5), OrderGrids.DpAccounting, NeighbouringRelation.AddOrRemoveOne), 1e-5).Epsilon;

    /// <summary>Smallest σ meeting (8, 1e-5).</summary>
    [Benchmark]
    public double CalibrateNoiseMultiplier() =>
        NoiseCalibration.SmallestNoiseMultiplier(_plan, _target, OrderGrids.DpAccounting, NeighbouringRelation.AddOrRemoveOne).NoiseMultiplier;

    /// <summary>How many more steps fit the target after a quarter of the run.</summary>
    [Benchmark]
    public long StepsLeft() => StepCalibration.LargestSteps(OrderGrids.DpAccounting, _step, _quarterSpent, _target);
}
