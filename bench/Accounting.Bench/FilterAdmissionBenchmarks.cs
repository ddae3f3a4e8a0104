using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Filters;
using Accounting.Mechanisms.Rdp;
using BenchmarkDotNet.Attributes;

namespace Accounting.Bench;

/// <summary>
/// One unit's admission check (SPEC §3, individual filter) on the filter/v1 grid (24 orders): a budget (8, 1e-6), a
/// DP-SGD step (q = 0.04, σ = 1.5) as the charge, and a spent curve of 2,000 such steps, which some orders still
/// admit; a spent curve of 20,000 steps is refused at every order (all 24 orders checked).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class FilterAdmissionBenchmarks
{
    private readonly RdpFilter _filter = new(8, 1e-6, OrderGrids.Filter);
    private readonly double[] _step = Curve(1);
    private readonly double[] _spent = Curve(2_000);
    private readonly double[] _exhausted = Curve(20_000);

    /// <summary>A unit whose filter admits the step.</summary>
    [Benchmark]
    public bool AdmitsStep() => _filter.Admits(_spent, _step);

    /// <summary>A unit whose filter refuses the step: every order is checked.</summary>
    [Benchmark]
    public bool RefusesStep() => _filter.Admits(_exhausted, _step);

    private static double[] Curve(int steps) =>
        RdpAccountant.Curve(new TrainingPlan(steps, SamplingScheme.Poisson, 0.04).RunEvent(1.5), OrderGrids.Filter, NeighbouringRelation.AddOrRemoveOne)
            .Epsilons.ToArray();
}
