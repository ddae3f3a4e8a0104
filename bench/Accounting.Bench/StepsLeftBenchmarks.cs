using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;
using BenchmarkDotNet.Attributes;

namespace Accounting.Bench;

/// <summary>
/// How many more plan steps fit a running task's (ε, δ) quota: every charge's answer reports it, so the writer works
/// it out once per charge. The DP-SGD example's step (q = 0.04, σ = 1.5) on the 156-order dp_accounting grid, a
/// quarter of its 2,250 steps spent, ε = 8 at δ = 10⁻⁵.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class StepsLeftBenchmarks
{
    private readonly double[] _perStep = RdpAccountant.Curve(
        new TrainingPlan(2250, SamplingScheme.Poisson, 0.04).StepEvent(1.5), OrderGrids.DpAccounting, NeighbouringRelation.AddOrRemoveOne).Epsilons.ToArray();
    private readonly EpsilonDeltaTarget _target = new(8, 1e-5);
    private double[] _spent = [];

    /// <summary>A quarter of the run spent.</summary>
    [GlobalSetup]
    public void Setup() => _spent = [.. _perStep.Select(c => Upward.Multiply(c, 562))];

    /// <summary>The steps left after what is spent.</summary>
    [Benchmark]
    public long StepsLeft() => StepCalibration.LargestSteps(OrderGrids.DpAccounting, _perStep, _spent, _target);
}
