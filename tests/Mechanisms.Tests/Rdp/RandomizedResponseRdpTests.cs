using Accounting.Mechanisms.Rdp;
using Accounting.Mechanisms.Tests.Reference;

namespace Accounting.Mechanisms.Tests.Rdp;

public sealed class RandomizedResponseRdpTests
{
    private static readonly double[] NoiseParameters = [1e-6, 0.01, 0.5, 0.9, 0.999999];
    private static readonly int[] Buckets = [2, 3, 10, 1000];
    private static readonly double[] Orders = [1.01, 2, 10.5, 1024];

    public static TheoryData<double, int, double> Grid()
    {
        var data = new TheoryData<double, int, double>();
        foreach (var p in NoiseParameters)
        {
            foreach (var k in Buckets)
            {
                foreach (var alpha in Orders)
                {
                    data.Add(p, k, alpha);
                }
            }
        }
        return data;
    }

    // Derivation. k-ary randomized response with noise parameter p reports the true value x with probability
    // a = (1 − p) + p/k (kept, or drawn uniformly and landing on x) and each other value with probability b = p/k.
    // For neighbours x ≠ x' the output laws are P(y) = a if y = x else b, and Q(y) = a if y = x' else b. The Rényi
    // divergence D_α(P‖Q) = log Σ_y P(y)^α Q(y)^{1−α} / (α − 1) has three kinds of terms:
    //   y = x:  a^α b^{1−α};   y = x':  b^α a^{1−α};   the k − 2 other y:  b^α b^{1−α} = b;
    // so ε(α) = log(a^α b^{1−α} + b^α a^{1−α} + (k − 2)·b) / (α − 1), the same for every pair x ≠ x' (and symmetric).
    //
    // For an accurate reference write r = a/b = 1 + k(1 − p)/p and L = log r. Then a^α b^{1−α} = b·r^α and
    // b^α a^{1−α} = b·r^{1−α}, and since a + (k − 1)b = 1, i.e. b(r + k − 1) = 1, the sum S satisfies
    //   S − 1 = b(r^α + r^{1−α} − r − 1) = b(r^α − r)(1 − r^{−α}) = a · (e^{(α−1)L} − 1) · (1 − e^{−αL}),
    // a product of non-negative factors: no cancellation when S is within 1e-12 of 1, and its log is a sum of logs
    // when S overflows (r^α = e^{21000} for p = 1e-6, k = 1000, α = 1024).
    private static DoubleDouble Reference(double p, int k, double alpha)
    {
        DoubleDouble pp = p;
        DoubleDouble kk = k;
        DoubleDouble order = alpha;
        var oneMinusP = DoubleDouble.One - pp;                  // exact in double-double
        var a = oneMinusP + (pp / kk);
        var logR = DoubleDouble.Log1p(kk * oneMinusP / pp);
        var y = (order - 1) * logR;
        // log(e^y − 1): directly while e^y fits in a double, else y + log(1 − e^{−y}).
        var logFirst = y.Hi < 700 ? DoubleDouble.Log(DoubleDouble.Expm1(y)) : y + DoubleDouble.Log1p(-DoubleDouble.Exp(-y));
        var logSecond = DoubleDouble.Log(-DoubleDouble.Expm1(-(order * logR)));
        var logSMinus1 = DoubleDouble.Log(a) + logFirst + logSecond;
        // log S = log(1 + e^t) with t = log(S − 1), in the form that neither overflows nor cancels.
        var logS = logSMinus1.Hi < 0
            ? DoubleDouble.Log1p(DoubleDouble.Exp(logSMinus1))
            : logSMinus1 + DoubleDouble.Log1p(DoubleDouble.Exp(-logSMinus1));
        return logS / (order - 1);
    }

    // The derived formula taken literally (Pow = exp(y·log x) in double-double): a check on the rearrangement above,
    // usable where nothing overflows and S − 1 is not tiny.
    private static DoubleDouble Literal(double p, int k, double alpha)
    {
        DoubleDouble pp = p;
        DoubleDouble order = alpha;
        var b = pp / k;
        var a = DoubleDouble.One - pp + b;
        var sum = (DoubleDouble.Pow(a, order) * DoubleDouble.Pow(b, 1 - order))
            + (DoubleDouble.Pow(b, order) * DoubleDouble.Pow(a, 1 - order))
            + ((k - 2) * b);
        return DoubleDouble.Log(sum) / (order - 1);
    }

    // Mironov 2017, Prop. 5: randomized response that reports the true bit with probability q has
    // ε(α) = log(q^α (1 − q)^{1−α} + (1 − q)^α q^{1−α}) / (α − 1). Here the binary (k = 2) mechanism keeps the bit with
    // probability q = 1 − p/2.
    private static DoubleDouble MironovProposition5(double p, double alpha)
    {
        var q = DoubleDouble.One - (DoubleDouble.FromDouble(p) / 2);
        var oneMinusQ = DoubleDouble.One - q;
        DoubleDouble order = alpha;
        var sum = (DoubleDouble.Pow(q, order) * DoubleDouble.Pow(oneMinusQ, 1 - order))
            + (DoubleDouble.Pow(oneMinusQ, order) * DoubleDouble.Pow(q, 1 - order));
        return DoubleDouble.Log(sum) / (order - 1);
    }

    private static double RelativeError(double actual, DoubleDouble reference) =>
        ((DoubleDouble)actual - reference).ToDouble() / reference.ToDouble();

    [Theory]
    [InlineData(0.5, 2, 2)]
    [InlineData(0.5, 3, 1.5)]
    [InlineData(0.9, 10, 10.5)]
    [InlineData(0.01, 3, 2)]
    [InlineData(0.2, 1000, 3)]
    public void Reference_rearrangement_agrees_with_the_literal_formula(double p, int k, double alpha)
    {
        // Two double-double routes to one number: agreement to 1e-25 relative (the literal route loses a few digits in
        // Pow with exponents up to ~10 and in the final log).
        var relative = ((Reference(p, k, alpha) - Literal(p, k, alpha)) / Reference(p, k, alpha)).ToDouble();
        Assert.True(Math.Abs(relative) <= 1e-25, $"relative difference {relative:E3}");
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public void Matches_the_renyi_divergence_and_is_never_below_it(double p, int k, double alpha)
    {
        var reference = Reference(p, k, alpha);

        var actual = RandomizedResponseRdp.Epsilon(p, k, alpha);

        // Signed relative error in [0, 1e-12]; the reference is good to ≈ 1e-28 relative.
        var relative = RelativeError(actual, reference);
        Assert.True(relative >= 0 && relative <= 1e-12, $"p = {p}, k = {k}, α = {alpha}: {actual:R} vs {reference}, relative {relative:E3}");
    }

    [Theory]
    [InlineData(2, 1.01)]
    [InlineData(2, 2)]
    [InlineData(3, 10.5)]
    [InlineData(1000, 1024)]
    [InlineData(2, double.PositiveInfinity)]
    [InlineData(int.MaxValue, 2)]
    public void Always_random_output_costs_nothing(int k, double alpha) =>
        Assert.Equal(0, RandomizedResponseRdp.Epsilon(1, k, alpha));

    [Theory]
    [InlineData(1e-6, 2)]
    [InlineData(1e-6, 1000)]
    [InlineData(0.01, 3)]
    [InlineData(0.5, 2)]
    [InlineData(0.5, 10)]
    [InlineData(0.9, 3)]
    [InlineData(0.999999, 2)]
    [InlineData(0.999999, 1000)]
    [InlineData(1e-300, 2)]
    public void Pure_dp_limit_is_the_log_of_the_probability_ratio(double p, int k)
    {
        // ε(∞) = max_y log(P(y)/Q(y)) = log(a/b) = log(1 + k(1 − p)/p).
        DoubleDouble pp = p;
        var reference = DoubleDouble.Log1p(k * (DoubleDouble.One - pp) / pp);

        var actual = RandomizedResponseRdp.Epsilon(p, k, double.PositiveInfinity);

        // Never below; at most 4e-15 above (≈ 18–36 ulps: a few-ulp log1p of a twice-rounded ratio, then 4 ulps of
        // deliberate upward margin).
        var relative = RelativeError(actual, reference);
        Assert.True(relative >= 0 && relative <= 4e-15, $"ε(∞) = {actual:R} vs {reference}, relative {relative:E3}");
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public void Never_exceeds_the_pure_dp_limit(double p, int k, double alpha) =>
        Assert.InRange(RandomizedResponseRdp.Epsilon(p, k, alpha), 0, RandomizedResponseRdp.Epsilon(p, k, double.PositiveInfinity));

    [Theory]
    [InlineData(0.5, 1.01)]
    [InlineData(0.5, 2)]
    [InlineData(0.9, 10.5)]
    [InlineData(0.01, 1.5)]
    [InlineData(0.3, 4)]
    public void Binary_response_matches_Mironov_proposition_5(double p, double alpha)
    {
        var reference = MironovProposition5(p, alpha);

        var actual = RandomizedResponseRdp.Epsilon(p, 2, alpha);

        // Same tolerance as the grid: never below, at most 1e-12 above (the Pow route is good to ≈ 1e-25 here).
        var relative = RelativeError(actual, reference);
        Assert.True(relative >= 0 && relative <= 1e-12, $"{actual:R} vs {reference}, relative {relative:E3}");
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.2)]
    public void Binary_response_approaches_the_kl_divergence_at_order_one(double p)
    {
        // Mironov 2017, Table 2: at α = 1 randomized response has ε = (2q − 1)·log(q/(1 − q)), q = 1 − p/2.
        // ε(α) is non-decreasing in α with slope ≈ Var(privacy loss)/2 ≤ L²/2 near α = 1 (L = log(q/(1 − q)) ≤ 2.2
        // here), so at α = 1 + 1e-6 it exceeds the KL value by at most ≈ 2.5e-6 absolute, under 1e-4 relative.
        var q = 1 - (p / 2);
        var kl = ((2 * q) - 1) * Math.Log(q / (1 - q));

        var actual = RandomizedResponseRdp.Epsilon(p, 2, 1 + 1e-6);

        Assert.InRange(actual, kl * (1 - 1e-12), kl * (1 + 1e-4));
    }

    [Fact]
    public void Grows_with_the_order()
    {
        double[] orders = [1.0000001, 1.01, .. OrderGrids.DpAccounting.Orders, 4096, 1e7, double.PositiveInfinity];
        foreach (var p in NoiseParameters)
        {
            foreach (var k in Buckets)
            {
                var previous = 0.0;
                foreach (var alpha in orders)
                {
                    var current = RandomizedResponseRdp.Epsilon(p, k, alpha);
                    Assert.True(current >= previous, $"p = {p}, k = {k}: ε({alpha}) = {current:R} < previous {previous:R}");
                    previous = current;
                }
            }
        }
    }
}
