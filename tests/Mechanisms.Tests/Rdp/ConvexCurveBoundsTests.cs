using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;
using Accounting.Mechanisms.Tests.Reference;
using CsCheck;

namespace Accounting.Mechanisms.Tests.Rdp;

/// <summary>The lower bounds the order search skips orders by: never above the exact curve, at any order.</summary>
public class ConvexCurveBoundsTests
{
    private static readonly double[] Orders = [.. OrderGrids.DpAccounting.Orders];

    // Anchors from computed values at random orders; every grid order's bound is checked against the double-double
    // reference (integer orders: the binomial sum; fractional: Gauss–Legendre), scaled by the step count as a run is.
    [Fact]
    public void Bounds_from_computed_subsampled_gaussian_values_stay_below_the_reference()
    {
        var anchorIndex = Gen.Int[0, Orders.Length - 1];
        Gen.Select(Gen.Double[1e-4, 0.9], Gen.Double[0.5, 100], Gen.Long[1, 100_000], anchorIndex.Array[2, 6]).Sample(
            (q, sigma, steps, anchors) =>
            {
                var run = new SelfComposedEvent(steps, new PoissonSampledEvent(q, new GaussianEvent(sigma)));
                var bounds = new ConvexCurveBounds();
                foreach (var i in anchors)
                {
                    bounds.Add(Orders[i], RdpAccountant.At(run, Orders[i]));
                }
                // Reference values are slow: a spread of orders (every fifth) covers every gap between anchors.
                for (var i = 0; i < Orders.Length; i += 5)
                {
                    var alpha = Orders[i];
                    var exact = steps * (alpha == Math.Floor(alpha)
                        ? ReferenceRdp.IntegerOrder(q, sigma, (int)alpha)
                        : ReferenceRdp.Quadrature(q, sigma, alpha));
                    var bound = bounds.Epsilon(alpha);
                    if (!(bound >= 0 && bound <= exact * (1 + 1e-13)))
                    {
                        return false;
                    }
                }
                return true;
            }, iter: 40);
    }

    // The bound is the secant construction: for the Gaussian's ε(α) = α/(2σ²), G is the parabola α(α − 1)/(2σ²); at
    // σ = 1 its secant lines through the anchors 3, 4 and 5, 6 both reach (4.5·3.5 − 0.75)/2 at α = 4.5, 0.375 below it.
    [Fact]
    public void Bound_between_anchors_is_the_larger_outer_secant()
    {
        var bounds = new ConvexCurveBounds();
        foreach (var alpha in new[] { 3.0, 4, 5, 6 })
        {
            bounds.Add(alpha, alpha / 2); // σ = 1
        }
        var expected = (4.5 * 3.5 - 0.75) / 2 / 3.5;
        Assert.InRange(bounds.Epsilon(4.5), expected * (1 - 1e-7), expected);
        Assert.True(bounds.Epsilon(4.5) < 4.5 / 2);
        Assert.InRange(bounds.Epsilon(5), 2.5 * (1 - 1e-7), 2.5); // an anchor: its value less the slack
    }

    // Beyond the last anchor the last secant continues; below the first, the secant from G(1) = 0 on its right.
    [Fact]
    public void Bounds_outside_the_anchors_follow_the_outer_secants()
    {
        var bounds = new ConvexCurveBounds();
        bounds.Add(2, 1);   // G(2) = 1
        bounds.Add(3, 1.5); // G(3) = 3
        Assert.InRange(bounds.Epsilon(5) * 4, 7 * (1 - 1e-7), 7); // G(3) + 2·(G(3) − G(2))
        Assert.InRange(bounds.Epsilon(1.5) * 0.5, 0, 1e-12);       // the line through G(2), G(3) is negative at 1.5
        Assert.Equal(0, bounds.Epsilon(double.PositiveInfinity));
    }

    [Fact]
    public void Infinite_values_are_not_anchors()
    {
        var bounds = new ConvexCurveBounds();
        bounds.Add(2, double.PositiveInfinity);
        bounds.Add(double.PositiveInfinity, 3);
        Assert.Equal(0, bounds.Epsilon(4));
        Assert.Equal(0, bounds.Epsilon(2));
        Assert.Equal(1, bounds.Below(4));
    }
}
