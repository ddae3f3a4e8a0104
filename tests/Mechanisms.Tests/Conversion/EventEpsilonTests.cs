using Accounting.Mechanisms.Conversion;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;
using Accounting.Mechanisms.Validation;
using CsCheck;

namespace Accounting.Mechanisms.Tests.Conversion;

/// <summary>
/// ε of an event computed at only the orders that can attain it (<see cref="OrderSearch"/>) against the conversion of
/// the whole curve: the same ε, bit for bit, and the same order.
/// </summary>
public class EventEpsilonTests
{
    private const NeighbouringRelation AddRemove = NeighbouringRelation.AddOrRemoveOne;

    private static readonly OrderGrid[] Grids =
        [.. OrderGrids.All, new OrderGrid("property", 1, [1.5, 2, 3.25, 5, 8, 16, 32, 64])];

    private static void AssertSameAsWholeCurve(PrivacyEvent privacyEvent, OrderGrid grid, NeighbouringRelation relation, double delta)
    {
        var whole = RdpConversion.Epsilon(RdpAccountant.Curve(privacyEvent, grid, relation), delta);
        var searched = RdpConversion.Epsilon(privacyEvent, grid, relation, delta);
        Assert.Equal(whole.Epsilon, searched.Epsilon);
        Assert.Equal(whole.Order, searched.Order);
    }

    // DP-SGD runs over the range (q ∈ [1e-4, 1], σ ∈ [0.5, 100]) and δ from 1e-12 to 1e-2, on every grid.
    [Fact]
    public void Subsampled_gaussian_runs_convert_as_their_whole_curves()
    {
        Gen.Select(Gen.Double[1e-4, 1], Gen.Double[0.5, 100], Gen.Long[1, 1_000_000], Gen.Double[-12, -2], Gen.Int[0, Grids.Length - 1])
            .Sample((q, sigma, steps, log10Delta, grid) =>
            {
                var run = new SelfComposedEvent(steps, new PoissonSampledEvent(q, new GaussianEvent(sigma)));
                AssertSameAsWholeCurve(run, Grids[grid], AddRemove, Math.Pow(10, log10Delta));
            }, iter: 150);
    }

    // The documented cases where the best order is fractional (3.9) and where it is a large integer.
    [Theory]
    [InlineData(0.04, 1.5, 2250, 1e-5)]
    [InlineData(1e-4, 0.8, 10_000_000, 1e-5)]
    [InlineData(0.01, 20, 1000, 1e-5)]
    [InlineData(0.5, 0.5, 1, 1e-9)]
    public void Documented_runs_convert_as_their_whole_curves(double q, double sigma, long steps, double delta)
    {
        var run = new SelfComposedEvent(steps, new PoissonSampledEvent(q, new GaussianEvent(sigma)));
        foreach (var grid in Grids)
        {
            AssertSameAsWholeCurve(run, grid, AddRemove, delta);
        }
    }

    // Compositions mixing certified-convex parts (Gaussian, zCDP) and parts that are not (Laplace, without
    // replacement, randomized response), which are searched exhaustively.
    public static TheoryData<PrivacyEvent, NeighbouringRelation> Mixed() => new()
    {
        { new ComposedEvent([new SelfComposedEvent(100, new PoissonSampledEvent(0.01, new GaussianEvent(1.1))), new GaussianEvent(30), new ZcdpEvent(0.01)]), AddRemove },
        { new ComposedEvent([new PoissonSampledEvent(0.01, new GaussianEvent(1.1)), new LaplaceEvent(50)]), AddRemove },
        { new SelfComposedEvent(1000, new SampledWithoutReplacementEvent(10_000, 100, new GaussianEvent(1.2))), NeighbouringRelation.ReplaceOne },
        { new SelfComposedEvent(20, new RandomizedResponseEvent(0.5, 4)), NeighbouringRelation.ReplaceOne },
        { new GaussianEvent(3), AddRemove },
        { new ZcdpEvent(0.5), AddRemove },
    };

    [Theory]
    [MemberData(nameof(Mixed))]
    public void Mixed_events_convert_as_their_whole_curves(PrivacyEvent privacyEvent, NeighbouringRelation relation)
    {
        foreach (var grid in Grids)
        {
            foreach (var delta in new[] { 1e-9, 1e-5, 0.01 })
            {
                AssertSameAsWholeCurve(privacyEvent, grid, relation, delta);
            }
        }
    }

    // Zero cost (huge noise) and infinite cost at every order: still the whole curve's answer, including its NaN order.
    [Fact]
    public void Degenerate_curves_convert_as_their_whole_curves()
    {
        AssertSameAsWholeCurve(new ZcdpEvent(0), OrderGrids.DpAccounting, AddRemove, 1e-5);
        AssertSameAsWholeCurve(new GaussianEvent(1e-300), OrderGrids.DpAccounting, AddRemove, 1e-5);
        AssertSameAsWholeCurve(new GaussianEvent(1e-300), new OrderGrid("tiny", 1, [1.005]), AddRemove, 1e-5);
    }

    [Fact]
    public void Invalid_inputs_are_refused_as_for_curves()
    {
        var run = new PoissonSampledEvent(0.01, new GaussianEvent(1));
        Assert.Throws<InvalidParameterException>(() =>
            RdpConversion.Epsilon(run, OrderGrids.DpAccounting, NeighbouringRelation.ReplaceOne, 1e-5));
        Assert.Throws<InvalidParameterException>(() =>
            RdpConversion.Epsilon(new GaussianEvent(-1), OrderGrids.DpAccounting, AddRemove, 1e-5));
        Assert.Throws<ArgumentOutOfRangeException>(() => RdpConversion.Epsilon(run, OrderGrids.DpAccounting, AddRemove, 1));
        Assert.Throws<ArgumentNullException>(() => RdpConversion.Epsilon(run, null!, AddRemove, 1e-5));
    }
}
