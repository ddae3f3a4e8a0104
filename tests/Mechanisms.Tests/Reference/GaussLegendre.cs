namespace Accounting.Mechanisms.Tests.Reference;

/// <summary>
/// Gauss–Legendre rule on [−1, 1], nodes and weights computed here in double-double rather than copied from a table.
/// </summary>
public static class GaussLegendre
{
    /// <summary>Points per panel: exact for polynomials of degree ≤ 39.</summary>
    public const int Order = 20;

    private static readonly Lazy<(DoubleDouble[] Nodes, DoubleDouble[] Weights)> Rule = new(() => Build(Order));

    /// <summary>Nodes on [−1, 1], ascending.</summary>
    public static IReadOnlyList<DoubleDouble> Nodes => Rule.Value.Nodes;

    /// <summary>Weights matching <see cref="Nodes"/>; they sum to 2.</summary>
    public static IReadOnlyList<DoubleDouble> Weights => Rule.Value.Weights;

    private static (DoubleDouble[] Nodes, DoubleDouble[] Weights) Build(int n)
    {
        var nodes = new DoubleDouble[n];
        var weights = new DoubleDouble[n];
        for (var i = 0; i < n; i++)
        {
            // Tricomi's asymptotic guess for the i-th root (Abramowitz & Stegun 22.16.6), then Newton.
            DoubleDouble x = -Math.Cos(Math.PI * (i + 0.75) / (n + 0.5));
            DoubleDouble derivative = 0;
            for (var iteration = 0; iteration < 8; iteration++)
            {
                (var p, derivative) = Legendre(n, x);
                x -= p / derivative;
            }
            (_, derivative) = Legendre(n, x);
            nodes[i] = x;
            // w_i = 2 / ((1 − x_i²) P_n'(x_i)²) (Abramowitz & Stegun 25.4.29).
            weights[i] = 2.0 / ((DoubleDouble.One - (x * x)) * derivative * derivative);
        }
        return (nodes, weights);
    }

    /// <summary>P_n(x) and P_n'(x) by Bonnet's recurrence (k+1)P_{k+1} = (2k+1)xP_k − kP_{k−1} (A&amp;S 22.7.10).</summary>
    private static (DoubleDouble P, DoubleDouble Derivative) Legendre(int n, DoubleDouble x)
    {
        DoubleDouble previous = 1;
        var current = x;
        for (var k = 1; k < n; k++)
        {
            var next = ((2.0 * k + 1) * x * current - (k * previous)) / (k + 1.0);
            previous = current;
            current = next;
        }
        // (x² − 1)P_n' = n(xP_n − P_{n−1}) (A&S 22.8.5).
        var derivative = n * ((x * current) - previous) / ((x * x) - DoubleDouble.One);
        return (current, derivative);
    }
}
