using Accounting.Accountant.Domain;
using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;
using BenchmarkDotNet.Attributes;

namespace Accounting.Bench;

/// <summary>
/// What a repeated step costs the service on the 156-order dp_accounting grid: with the event's curve in the
/// service's <see cref="CurveCache"/>, a lookup and one vector add onto the task's spent curve (O(orders)); without
/// it, the subsampled-Gaussian RDP computed at every order first.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class StepCostBenchmarks
{
    private readonly PrivacyEvent _step = new TrainingPlan(2250, SamplingScheme.Poisson, 0.04).StepEvent(1.5);
    private readonly CurveCache _cache = new();
    private readonly double[] _spent = new double[OrderGrids.DpAccounting.Count];

    /// <summary>Fills the cache, as the task's first charge does.</summary>
    [GlobalSetup]
    public void Setup() => _cache.Curve(_step, OrderGrids.DpAccounting, NeighbouringRelation.AddOrRemoveOne);

    /// <summary>Cache hit, then spent + cost.</summary>
    [Benchmark(Baseline = true)]
    public double[] CachedCurvePlusAdd() =>
        Curves.Plus(_spent, _cache.Curve(_step, OrderGrids.DpAccounting, NeighbouringRelation.AddOrRemoveOne));

    /// <summary>The step's curve computed afresh, then spent + cost.</summary>
    [Benchmark]
    public double[] ComputedCurvePlusAdd() =>
        Curves.Plus(_spent, RdpAccountant.Curve(_step, OrderGrids.DpAccounting, NeighbouringRelation.AddOrRemoveOne).Epsilons);
}
