using Accounting.Mechanisms.Conversion;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Filters;
using Accounting.Mechanisms.Rdp;
using CsCheck;

namespace Accounting.Mechanisms.Tests.Filters;

public class RdpFilterTests
{
    private static readonly OrderGrid Grid = OrderGrids.Filter;

    // B(α) = ε_B − log(1 − 1/α) + log(α·δ_B/|Λ|)/(α − 1), written out independently.
    [Fact]
    public void Bounds_follow_the_spec_formula()
    {
        var filter = new RdpFilter(4, 1e-6, Grid);
        for (var i = 0; i < Grid.Count; i++)
        {
            var alpha = Grid.Orders[i];
            var expected = 4 - Math.Log(1 - 1 / alpha) + Math.Log(alpha * 1e-6 / Grid.Count) / (alpha - 1);
            Assert.InRange(filter.Bounds[i], expected - 1e-12, expected);
        }
    }

    // Soundness of each admission: the order that admits converts the new total to (ε_B, δ_B/|Λ|).
    [Fact]
    public void An_admitted_spend_converts_within_budget_at_a_split_delta()
    {
        var filter = new RdpFilter(3, 1e-5, Grid);
        Gen.Select(Gen.Double[0.3, 20], Gen.Double[1e-3, 1], Gen.Int[1, 5000]).Sample((sigma, q, steps) =>
        {
            var charge = RdpAccountant.Curve(
                new SelfComposedEvent(steps, new PoissonSampledEvent(q, new GaussianEvent(sigma))), Grid, NeighbouringRelation.AddOrRemoveOne);
            var spent = RdpCurve.Zero(Grid);
            if (!filter.Admits(spent, charge))
            {
                return RdpConversion.Epsilon(charge, 1e-5 / Grid.Count).Epsilon > 3 - 1e-9;
            }
            return RdpConversion.Epsilon(spent.Plus(charge), 1e-5 / Grid.Count).Epsilon <= 3;
        }, iter: 200);
    }

    [Fact]
    public void A_unit_is_cut_off_once_every_order_is_spent()
    {
        var filter = new RdpFilter(2, 1e-5, Grid);
        var step = RdpAccountant.Curve(new GaussianEvent(5), Grid, NeighbouringRelation.AddOrRemoveOne);
        var spent = RdpCurve.Zero(Grid);
        var admitted = 0;
        while (filter.Admits(spent, step))
        {
            spent = spent.Plus(step);
            admitted++;
        }
        // Independently: the largest k with k·α/(2·25) ≤ B(α) for some α.
        var expected = Grid.Orders.Select((alpha, i) => Math.Floor(filter.Bounds[i] / (alpha / 50))).Max();
        Assert.InRange(admitted, expected - 1, expected);
        Assert.True(admitted > 0);
    }

    [Fact]
    public void Curves_on_another_grid_are_refused()
    {
        var filter = new RdpFilter(2, 1e-5, Grid);
        var other = RdpCurve.Zero(OrderGrids.DpAccounting);
        Assert.Throws<ArgumentException>(() => filter.Admits(other, other));
    }

    [Theory]
    [InlineData(0, 1e-5)]
    [InlineData(double.NaN, 1e-5)]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    public void Invalid_budgets_are_refused(double epsilon, double delta) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RdpFilter(epsilon, delta, Grid));

    [Fact]
    public void Zcdp_budget_admits_up_to_its_rho()
    {
        var filter = new ZcdpFilter(1);
        Assert.True(filter.Admits(0.75, 0.25));
        Assert.False(filter.Admits(0.75, 0.2500001));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZcdpFilter(0));
    }
}
