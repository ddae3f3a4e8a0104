namespace Accounting.Mechanisms.Tests.Reference;

/// <summary>
/// log(A_α − 1) by composite 20-point Gauss–Legendre on a uniform mesh fixed in advance: no error estimate drives
/// it. The integrand is log-scaled by its largest value on the mesh, so nothing overflows.
/// </summary>
internal static class SampledGaussianQuadrature
{
    // Panels whose log-integrand stays this far below the maximum are dropped: e^−100 per panel is far below 1e-13.
    private const double Negligible = 100;

    // Panels added on each side of every kept run, in case the double-precision locator misjudged an edge.
    private const int Margin = 2;

    // t ≤ −40 carries φ-mass e^−800 times a bounded g.
    private const double Left = -40;

    /// <summary>log(A_α − 1) for 0 &lt; q &lt; 1, σ &gt; 0, α &gt; 1.</summary>
    internal static DoubleDouble LogAMinusOne(double q, double sigma, double alpha)
    {
        // (1+u)^α ≤ (1+u)^⌈α⌉ for u ≥ 0, a mixture of Gaussians e^(ks)·φ(t) = c_k·φ(t − k/σ), k ≤ ⌈α⌉: 40 beyond the
        // last centre the tail is e^−800 of the largest component.
        var right = (Math.Ceiling(alpha) / sigma) + 40;
        var h = PanelWidth(sigma, alpha);
        var panels = (int)Math.Ceiling((right - Left) / h);
        if (panels > 5_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), "α/σ too large for the reference mesh.");
        }

        var locator = new ApproximateIntegrand(q, sigma, alpha);
        var approx = new double[panels + 1];
        var shift = double.NegativeInfinity;
        for (var j = 0; j <= panels; j++)
        {
            approx[j] = locator.LogValue(Left + (j * h));
            shift = Math.Max(shift, approx[j]);
        }
        if (!double.IsFinite(shift))
        {
            throw new InvalidOperationException("The locator found no positive integrand value.");
        }
        if (approx[0] > shift - Negligible || approx[panels] > shift - Negligible)
        {
            throw new InvalidOperationException("Integrand not negligible at the ends of the reference range.");
        }

        var integrand = new SampledGaussianIntegrand(q, sigma, alpha);
        var nodes = GaussLegendre.Nodes;
        var weights = GaussLegendre.Weights;
        DoubleDouble halfWidth = h / 2;
        var sum = DoubleDouble.Zero;
        for (var j = 0; j < panels; j++)
        {
            if (!IsKept(approx, j, shift))
            {
                continue;
            }
            // Panel centre exactly as a double-double so that adjacent panels tile without gaps.
            var centre = DoubleDouble.FromDouble(Left) + ((j + 0.5) * (DoubleDouble)h);
            for (var i = 0; i < nodes.Count; i++)
            {
                var logF = integrand.LogValue(centre + (halfWidth * nodes[i]));
                sum += weights[i] * DoubleDouble.Exp(logF - shift);
            }
        }
        return shift + DoubleDouble.Log(halfWidth * sum);
    }

    /// <summary>
    /// Mesh width h = min(½, σ, 0.85/√κ), κ = 1 + α/(4σ²) bounding the curvature of the log-integrand (α·log(1+u) has
    /// second derivative α·p(1−p)/σ², p ∈ (0, 1)). Where the log-integrand is within 100 of its maximum its slope is
    /// then below √(200κ), so no panel sees growth faster than e^(12·t/h), well within a 20-point rule's reach; h ≤ σ
    /// keeps the branch points of (1+u)^α (at distance πσ from the real axis) away from each panel.
    /// </summary>
    private static double PanelWidth(double sigma, double alpha) =>
        Math.Min(Math.Min(0.5, sigma), 0.85 / Math.Sqrt(1 + (alpha / (4 * sigma * sigma))));

    private static bool IsKept(double[] approx, int panel, double shift)
    {
        var from = Math.Max(0, panel - Margin);
        var to = Math.Min(approx.Length - 1, panel + 1 + Margin);
        for (var k = from; k <= to; k++)
        {
            if (approx[k] > shift - Negligible)
            {
                return true;
            }
        }
        return false;
    }
}
