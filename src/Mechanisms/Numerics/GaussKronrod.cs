namespace Accounting.Mechanisms.Numerics;

/// <summary>
/// Adaptive 7/15-point Gauss–Kronrod quadrature (Piessens et al. 1983, QUADPACK, routine QK15): each panel is
/// estimated by the Kronrod rule and its error by the difference to the embedded Gauss rule; panels are halved until
/// the error is within tolerance. The error estimate is added to the result, so results lean upwards.
/// </summary>
internal static class GaussKronrod
{
    // Kronrod nodes on [−1, 1] (non-negative half); the odd indices are the 7-point Gauss nodes.
    private static readonly double[] Nodes =
    [
        0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
        0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
        0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
        0.207784955007898467600689403773245, 0.000000000000000000000000000000000,
    ];

    private static readonly double[] KronrodWeights =
    [
        0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
        0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
        0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
        0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
    ];

    // Weights of the 7-point Gauss rule at Nodes[1], Nodes[3], Nodes[5], Nodes[7].
    private static readonly double[] GaussWeights =
    [
        0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
        0.381830050505118944950369775488975, 0.417959183673469387755102040816327,
    ];

    /// <summary>Halvings allowed below a starting panel.</summary>
    private const int MaxDepth = 24;

    /// <summary>
    /// ∫ f over [a, b] with estimated absolute error at most <paramref name="tolerancePerUnit"/> × (b − a), the
    /// estimate of the error added to the result. A panel is also accepted once its error is within
    /// <paramref name="noise"/> × its value: the relative accuracy of f's own evaluation, below which halving only
    /// measures rounding. Each panel evaluated takes one from <paramref name="panelBudget"/>; when none is left the
    /// result is NaN, so that a caller can fall back to a bound instead of waiting on an integrand it cannot resolve.
    /// </summary>
    public static double Integrate<TFunction>(in TFunction f, double a, double b, double tolerancePerUnit, double noise, ref int panelBudget)
        where TFunction : struct, IRealFunction =>
        Integrate(f, a, b, tolerancePerUnit, noise, 0, ref panelBudget);

    /// <summary>The Kronrod and Gauss estimates of ∫ f over [a, b]; exposed for the rule's exactness tests.</summary>
    public static (double Kronrod, double Gauss) Panel<TFunction>(in TFunction f, double a, double b)
        where TFunction : struct, IRealFunction
    {
        var centre = 0.5 * (a + b);
        var half = 0.5 * (b - a);
        var fc = f.Value(centre);
        var kronrod = fc * KronrodWeights[7];
        var gauss = fc * GaussWeights[3];
        for (var i = 0; i < 7; i++)
        {
            var dx = half * Nodes[i];
            var pair = f.Value(centre - dx) + f.Value(centre + dx);
            kronrod += KronrodWeights[i] * pair;
            if ((i & 1) == 1)
            {
                gauss += GaussWeights[i >> 1] * pair;
            }
        }
        return (kronrod * half, gauss * half);
    }

    private static double Integrate<TFunction>(
        in TFunction f, double a, double b, double tolerancePerUnit, double noise, int depth, ref int panelBudget)
        where TFunction : struct, IRealFunction
    {
        if (--panelBudget < 0)
        {
            return double.NaN;
        }
        var (kronrod, gauss) = Panel(f, a, b);
        var error = Math.Abs(kronrod - gauss);
        if (error <= tolerancePerUnit * (b - a) || error <= noise * Math.Abs(kronrod) || depth >= MaxDepth)
        {
            return kronrod + error;
        }
        var mid = 0.5 * (a + b);
        return Integrate(f, a, mid, tolerancePerUnit, noise, depth + 1, ref panelBudget)
            + Integrate(f, mid, b, tolerancePerUnit, noise, depth + 1, ref panelBudget);
    }
}

/// <summary>A real function evaluated by the quadrature; a struct so calls are inlined, not dispatched.</summary>
internal interface IRealFunction
{
    /// <summary>f(x).</summary>
    double Value(double x);
}
