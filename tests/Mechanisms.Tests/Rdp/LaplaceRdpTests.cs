using Accounting.Mechanisms.Rdp;
using Accounting.Mechanisms.Tests.Reference;

namespace Accounting.Mechanisms.Tests.Rdp;

public sealed class LaplaceRdpTests
{
    private static readonly double[] Scales = [0.01, 0.1, 1, 10, 1e3, 1e6];
    private static readonly double[] Orders = [1.01, 1.5, 2, 10, 64, 1024];

    public static TheoryData<double, double> Grid()
    {
        var data = new TheoryData<double, double>();
        foreach (var b in Scales)
        {
            foreach (var alpha in Orders)
            {
                data.Add(b, alpha);
            }
        }
        return data;
    }

    /// <summary>
    /// Mironov 2017, "Rényi Differential Privacy", Prop. 6, for the Laplace mechanism with scale b and λ = 1/b:
    /// ε(α) = log(α/(2α−1)·e^{(α−1)λ} + (α−1)/(2α−1)·e^{−αλ}) / (α−1), evaluated in double-double in log space
    /// (e^{(α−1)λ} overflows for α = 1024, b = 0.01) by factoring out the first term:
    /// log S = (α−1)λ + log(α/(2α−1)) + log1p((α−1)/α · e^{−(2α−1)λ}).
    /// For small λ the three terms cancel to ≈ α(α−1)λ²/2; at b = 1e6 that loses at most 13 of the 32 digits, so the
    /// reference stays good to ≈ 1e-19 relative over the grid.
    /// </summary>
    private static DoubleDouble Reference(double b, double alpha)
    {
        var lambda = DoubleDouble.One / b;
        DoubleDouble a = alpha;
        var am1 = a - 1;            // exact: α − 1 of a double α ≥ 1 is a double (Sterbenz) or needs one more word.
        var twoAm1 = (a * 2) - 1;   // exact
        var logS = (am1 * lambda)
            + DoubleDouble.Log(a / twoAm1)
            + DoubleDouble.Log1p(am1 / a * DoubleDouble.Exp(-(twoAm1 * lambda)));
        return logS / am1;
    }

    /// <summary>The same formula taken literally, for moderate arguments where nothing overflows or cancels badly.</summary>
    private static DoubleDouble Literal(double b, double alpha)
    {
        var lambda = DoubleDouble.One / b;
        DoubleDouble a = alpha;
        var sum = (a / ((a * 2) - 1) * DoubleDouble.Exp((a - 1) * lambda))
            + ((a - 1) / ((a * 2) - 1) * DoubleDouble.Exp(-(a * lambda)));
        return DoubleDouble.Log(sum) / (a - 1);
    }

    /// <summary>The smallest double ≥ the double-double value x.</summary>
    private static double Ceiling(DoubleDouble x) => x.Lo > 0 ? Math.BitIncrement(x.Hi) : x.Hi;

    [Theory]
    [InlineData(0.1, 1.5)]
    [InlineData(1, 2)]
    [InlineData(1, 10)]
    [InlineData(10, 64)]
    [InlineData(3, 1.01)]
    public void Reference_rearrangement_agrees_with_the_literal_formula(double b, double alpha)
    {
        var reference = Reference(b, alpha);
        var literal = Literal(b, alpha);
        // Both are double-double evaluations of the same quantity; they must agree far beyond the 1e-12 under test.
        Assert.True(Math.Abs((reference - literal).ToDouble()) <= 1e-25 * reference.ToDouble(), $"{reference} vs {literal}");
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public void Matches_Mironov_proposition_6_and_is_never_below_it(double b, double alpha)
    {
        var reference = Reference(b, alpha);

        var actual = LaplaceRdp.Epsilon(b, alpha);

        // Signed relative error; must lie in [0, 1e-12]: never below the reference (whose own error is ≤ 1e-19
        // relative, far inside the production's 1e-14 upward margin), and at most 1e-12 above.
        var relative = ((DoubleDouble)actual - reference).ToDouble() / reference.ToDouble();
        Assert.True(relative >= 0 && relative <= 1e-12, $"ε({alpha}) at b = {b}: {actual:R} vs reference {reference}, relative {relative:E3}");
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(1e6)]
    [InlineData(1e-300)]
    public void Pure_dp_limit_is_one_over_b_rounded_up(double b)
    {
        // Mironov 2017, Table 2: the Laplace mechanism is (1/b)-DP, so ε(∞) = 1/b; rounded up, that is the smallest
        // double ≥ 1/b, computed here from the double-double quotient.
        Assert.Equal(Ceiling(DoubleDouble.One / b), LaplaceRdp.Epsilon(b, double.PositiveInfinity));
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public void Never_exceeds_the_pure_dp_bound(double b, double alpha) =>
        Assert.InRange(LaplaceRdp.Epsilon(b, alpha), 0, Ceiling(DoubleDouble.One / b));

    [Fact]
    public void Grows_with_the_order()
    {
        double[] orders =
        [
            1.0000001, 1.001, 1.01, .. OrderGrids.DpAccounting.Orders, 2048, 1e5, 1e9, double.PositiveInfinity,
        ];
        foreach (var b in (double[])[.. Scales, 1e-3, 0.5, 3, 1e9])
        {
            var previous = 0.0;
            foreach (var alpha in orders)
            {
                var current = LaplaceRdp.Epsilon(b, alpha);
                Assert.True(current >= previous, $"b = {b}: ε({alpha}) = {current:R} < previous {previous:R}");
                previous = current;
            }
        }
    }

    [Fact]
    public void Huge_scales_never_cost_zero() =>
        Assert.True(LaplaceRdp.Epsilon(1e300, 2) > 0);
}
