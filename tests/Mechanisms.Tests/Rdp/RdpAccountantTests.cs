using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;
using Accounting.Mechanisms.Tests.Reference;
using Accounting.Mechanisms.Validation;

namespace Accounting.Mechanisms.Tests.Rdp;

public sealed class RdpAccountantTests
{
    private static readonly OrderGrid Grid = OrderGrids.DpAccounting;

    // Events accounted under each relation (the supports matrix of EventValidation).
    private static readonly Dictionary<string, (PrivacyEvent Event, NeighbouringRelation Relation)> Events = new(StringComparer.Ordinal)
    {
        ["gaussian"] = (new GaussianEvent(1.1), NeighbouringRelation.AddOrRemoveOne),
        ["laplace"] = (new LaplaceEvent(0.7), NeighbouringRelation.AddOrRemoveOne),
        ["zcdp"] = (new ZcdpEvent(0.3), NeighbouringRelation.AddOrRemoveOne),
        ["poisson gaussian"] = (new PoissonSampledEvent(0.01, new GaussianEvent(1)), NeighbouringRelation.AddOrRemoveOne),
        ["self composed laplace"] = (new SelfComposedEvent(7, new LaplaceEvent(2)), NeighbouringRelation.AddOrRemoveOne),
        ["randomized response"] = (new RandomizedResponseEvent(0.3, 5), NeighbouringRelation.ReplaceOne),
        ["without replacement gaussian"] = (new SampledWithoutReplacementEvent(1000, 10, new GaussianEvent(2.5)), NeighbouringRelation.ReplaceOne),
        ["gaussian, replace"] = (new GaussianEvent(0.9), NeighbouringRelation.ReplaceOne),
    };

    public static TheoryData<string, string> Pairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var (a, (_, relationA)) in Events)
        {
            foreach (var (b, (_, relationB)) in Events)
            {
                if (relationA == relationB)
                {
                    data.Add(a, b);
                }
            }
        }
        return data;
    }

    public static TheoryData<string> Names => [.. Events.Keys];

    private static void AssertSameCurve(RdpCurve expected, RdpCurve actual)
    {
        Assert.Equal(expected.Grid.Key, actual.Grid.Key);
        Assert.Equal(expected.Epsilons.ToArray(), actual.Epsilons.ToArray());
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Composition_is_the_sum_of_curves_exactly(string first, string second)
    {
        var (a, relation) = Events[first];
        var (b, _) = Events[second];

        var composed = RdpAccountant.Curve(new ComposedEvent([a, b]), Grid, relation);

        AssertSameCurve(RdpAccountant.Curve(a, Grid, relation).Plus(RdpAccountant.Curve(b, Grid, relation)), composed);
    }

    [Fact]
    public void Nested_compositions_sum_their_parts()
    {
        var (a, relation) = Events["gaussian"];
        var (b, _) = Events["poisson gaussian"];
        var (c, _) = Events["laplace"];

        var nested = RdpAccountant.Curve(new ComposedEvent([new ComposedEvent([a, b]), c]), Grid, relation);

        var expected = RdpAccountant.Curve(a, Grid, relation)
            .Plus(RdpAccountant.Curve(b, Grid, relation))
            .Plus(RdpAccountant.Curve(c, Grid, relation));
        AssertSameCurve(expected, nested);
    }

    [Fact]
    public void Empty_composition_costs_nothing() =>
        AssertSameCurve(RdpCurve.Zero(Grid), RdpAccountant.Curve(new ComposedEvent([]), Grid, NeighbouringRelation.ReplaceOne));

    [Theory]
    [MemberData(nameof(Names))]
    public void Self_composition_is_the_curve_times_the_count_exactly(string name)
    {
        var (e, relation) = Events[name];
        var single = RdpAccountant.Curve(e, Grid, relation);

        foreach (var count in (long[])[0, 1, 3, 1000, 1L << 40])
        {
            AssertSameCurve(single.Times(count), RdpAccountant.Curve(new SelfComposedEvent(count, e), Grid, relation));
        }
    }

    [Fact]
    public void Self_composition_is_never_below_the_exact_product()
    {
        // n·ε(α) in double-double (ε a double, n < 2^53 exact) against the curve of selfComposed(n, e).
        var (e, relation) = Events["gaussian"];
        var single = RdpAccountant.Curve(e, Grid, relation);
        foreach (var count in (long[])[3, 7, 1000, 123_456_789])
        {
            var curve = RdpAccountant.Curve(new SelfComposedEvent(count, e), Grid, relation);
            for (var i = 0; i < Grid.Count; i++)
            {
                var exact = DoubleDouble.ExactProduct(single.Epsilons[i], count);
                Assert.True(((DoubleDouble)curve.Epsilons[i] - exact).Hi >= 0, $"n = {count}, α = {Grid.Orders[i]}");
            }
        }
    }

    [Fact]
    public void Self_composition_counts_beyond_2_pow_53_are_not_rounded_down()
    {
        const long count = (1L << 53) + 1;
        // zcdp(0.5) at α = 2 costs exactly 1, so n compositions cost exactly n, which is not a double; rounded up it is 2^53 + 2.
        Assert.True(RdpAccountant.At(new SelfComposedEvent(count, new ZcdpEvent(0.5)), 2) >= 9007199254740994.0);
        Assert.True(new RdpCurve(OrderGrids.Filter, [.. OrderGrids.Filter.Orders.Select(_ => 1.0)]).Times(count).Epsilons[0] >= 9007199254740994.0);
    }

    [Fact]
    public void A_zcdp_event_costs_at_least_rho_times_alpha()
    {
        // Bun & Steinke 2016, Def. 1.1: ρ-zCDP means ε(α) ≤ ρα for every α > 1, so ρα is the curve, rounded up:
        // never below the exact product (TwoProd, exact in double-double) and at most one ulp above it.
        var random = new Random(7_031_989);
        double[] rhos = [1e-300, 1e-12, 0.5, 1.0 / 3, 2.7, 1e6, .. Enumerable.Range(0, 200).Select(_ => Math.Pow(10, (20 * random.NextDouble()) - 10))];
        foreach (var rho in rhos)
        {
            var curve = RdpAccountant.Curve(new ZcdpEvent(rho), Grid, NeighbouringRelation.AddOrRemoveOne);
            for (var i = 0; i < Grid.Count; i++)
            {
                var exact = DoubleDouble.ExactProduct(rho, Grid.Orders[i]);
                var ceiling = exact.Lo > 0 ? Math.BitIncrement(exact.Hi) : exact.Hi;
                Assert.True(curve.Epsilons[i] == ceiling, $"ρ = {rho:R}, α = {Grid.Orders[i]}: {curve.Epsilons[i]:R}, exact {exact}");
            }
        }
    }

    [Fact]
    public void A_zero_rho_zcdp_event_costs_nothing_at_every_order()
    {
        AssertSameCurve(RdpCurve.Zero(Grid), RdpAccountant.Curve(new ZcdpEvent(0), Grid, NeighbouringRelation.ReplaceOne));
        Assert.Equal(0, RdpAccountant.At(new ZcdpEvent(0), double.PositiveInfinity));
        Assert.Equal(double.PositiveInfinity, RdpAccountant.At(new ZcdpEvent(1e-9), double.PositiveInfinity));
    }

    [Fact]
    public void A_subnormal_zcdp_cost_is_not_rounded_down()
    {
        const double rho = 3 * double.Epsilon;
        var exact = DoubleDouble.ExactProduct(rho, 1.1);
        Assert.True(((DoubleDouble)RdpAccountant.At(new ZcdpEvent(rho), 1.1) - exact).Hi >= 0);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Leaf_and_wrapped_curves_are_the_mechanisms_epsilon_at_each_order(string name)
    {
        var (e, relation) = Events[name];

        var curve = RdpAccountant.Curve(e, Grid, relation);

        for (var i = 0; i < Grid.Count; i++)
        {
            Assert.Equal(RdpAccountant.At(e, Grid.Orders[i]), curve.Epsilons[i]);
        }
        var alpha = Grid.Orders[^1];
        var leaf = e switch
        {
            GaussianEvent g => GaussianRdp.Epsilon(g.NoiseMultiplier, alpha),
            LaplaceEvent l => LaplaceRdp.Epsilon(l.NoiseScale, alpha),
            RandomizedResponseEvent r => RandomizedResponseRdp.Epsilon(r.NoiseParameter, r.NumBuckets, alpha),
            PoissonSampledEvent { Event: GaussianEvent g } p => PoissonGaussianRdp.Epsilon(p.SamplingRate, g.NoiseMultiplier, alpha),
            SampledWithoutReplacementEvent { Event: GaussianEvent g } s =>
                WithoutReplacementGaussianRdp.Epsilon(s.SourceSize, s.SampleSize, g.NoiseMultiplier, alpha),
            _ => curve.Epsilons[^1],
        };
        Assert.Equal(leaf, curve.Epsilons[^1]);
    }

    [Fact]
    public void Curves_refuse_unsupported_combinations_with_every_error()
    {
        var e = new ComposedEvent([new PoissonSampledEvent(0.1, new LaplaceEvent(1)), new RandomizedResponseEvent(0.5, 2)]);

        var thrown = Assert.Throws<InvalidParameterException>(() => RdpAccountant.Curve(e, Grid, NeighbouringRelation.ReplaceOne));

        Assert.Equal(["event.events[0]", "event.events[0].event"], thrown.Errors.Select(x => x.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Curves_refuse_invalid_parameters_with_every_error()
    {
        var e = new ComposedEvent([new GaussianEvent(0), new LaplaceEvent(-1)]);

        var thrown = Assert.Throws<InvalidParameterException>(() => RdpAccountant.Curve(e, Grid, NeighbouringRelation.AddOrRemoveOne));

        Assert.Equal(["event.events[0].noiseMultiplier", "event.events[1].noiseScale"], thrown.Errors.Select(x => x.Field).Order(StringComparer.Ordinal));
    }
}
