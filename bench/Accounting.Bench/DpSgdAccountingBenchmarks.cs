using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Conversion;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;
using BenchmarkDotNet.Attributes;

namespace Accounting.Bench;

/// <summary>
/// What a trainer waits on: ε of a planned DP-SGD run on the 156-order dp_accounting grid, and σ calibrated for a
/// target. Inputs are the SPEC §6 calibration case (q = 0.04, 2250 steps, ε = 8, δ = 1e-5); nothing is cached, so
/// each call computes fresh RDP values.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class DpSgdAccountingBenchmarks
{
    private readonly TrainingPlan _plan = new(2250, SamplingScheme.Poisson, 0.04);
    private readonly EpsilonDeltaTarget _target = new(8, 1e-5);

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
}
