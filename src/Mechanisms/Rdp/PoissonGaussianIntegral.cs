using Accounting.Mechanisms.Numerics;

namespace Accounting.Mechanisms.Rdp;

/// <summary>
/// log(A_α − 1) of the Poisson-subsampled Gaussian at any real order, by quadrature of a non-negative integrand.
/// With t ~ N(0, 1), s = t/σ − 1/(2σ²) and u = q·expm1(s) (so 1 + u is the likelihood ratio's mixture term),
/// A_α = E[(1 + u)^α] (Mironov, Talwar, Zhang 2019, §3.1) and E[u] = 0, hence A_α − 1 = E[g(u)] with
/// g(u) = (1 + u)^α − 1 − αu ≥ 0 by convexity. The real line splits at t₀ = 1/(2σ), where u = 0: below it
/// u ∈ (−q, 0), above it u &gt; 0. Each side is scanned outward from t₀ until a proven tail bound is negligible,
/// then integrated by adaptive Gauss–Kronrod on the panels that carry mass; tail bounds are added, not dropped.
/// The whole-line trapezoidal rule of <see cref="PoissonGaussianTrapezoid"/> is tried first: it needs far fewer
/// evaluations and declines whenever its own error check fails, leaving the adaptive rule as the fallback.
/// </summary>
internal static class PoissonGaussianIntegral
{
    private const double ScanStep = 0.5;
    private const int PanelScanSteps = 4;
    // Parts of the integral below e^-60 of the largest integrand value are bounded, not integrated.
    private const double Negligible = 60;
    private const double RelativeTolerance = 1e-14;
    private const double Ulp = 1.1102230246251565e-16; // 2^-53, the unit roundoff

    // Work limits per side: far beyond what the tested regimes use (σ ≥ 0.1, q ≥ 1e-9, α ≤ 1024), they stop
    // integrands the rule cannot resolve (tiny σ or q) from holding a request for minutes.
    private const int MaxScanSteps = 1 << 14;
    private const int MaxPanels = 1 << 14;

    /// <summary>log(A_α − 1) for q ∈ (0, 1), σ &gt; 0, finite α &gt; 1; NaN when the work limits are reached first.</summary>
    public static double LogExcess(double q, double sigma, double alpha)
    {
        var f = new PoissonGaussianIntegrand(q, sigma, alpha);
        return PoissonGaussianTrapezoid.TryLogIntegral(f, sigma, alpha, out var logExcess) ? logExcess : Adaptive(f);
    }

    /// <summary>log(A_α − 1) by the adaptive rule alone; exposed so that the fallback is tested in every regime.</summary>
    internal static double AdaptiveLogExcess(double q, double sigma, double alpha) =>
        Adaptive(new PoissonGaussianIntegrand(q, sigma, alpha));

    private static double Adaptive(in PoissonGaussianIntegrand f) => LogSpace.Add(Side(f, -1), Side(f, +1));

    // log ∫ over (−∞, t₀] (direction −1) or [t₀, ∞) (direction +1).
    private static double Side(in PoissonGaussianIntegrand f, int direction)
    {
        var t0 = f.Zero;
        var logValues = new List<double>(64) { double.NegativeInfinity }; // g = 0 at t₀
        var largest = double.NegativeInfinity;
        double logTail;
        for (var i = 1; ; i++)
        {
            if (i > MaxScanSteps)
            {
                return double.NaN;
            }
            var t = t0 + direction * i * ScanStep;
            var value = f.Log(t);
            logValues.Add(value);
            largest = Math.Max(largest, value);
            logTail = direction < 0 ? f.LogLeftTailBound(t) : f.LogRightTailBound(t);
            if (logTail < largest - Negligible || double.IsNegativeInfinity(logTail))
            {
                break;
            }
        }
        if (double.IsNegativeInfinity(largest))
        {
            return double.NegativeInfinity;
        }

        var scaled = new ScaledIntegrand(f, largest);
        // The tolerance per unit length, relative to a Riemann estimate of the whole side over its length.
        var tolerance = RelativeTolerance * logValues.Sum(v => Math.Exp(v - largest)) / logValues.Count;
        // e^(ℓ − largest) carries the rounding of ℓ, a few ulps of its magnitude, as relative noise.
        var noise = 64 * Ulp * (1 + Math.Abs(largest));
        double sum = 0, bounded = 0;
        var panelBudget = MaxPanels;
        for (var start = 0; start < logValues.Count - 1; start += PanelScanSteps)
        {
            var end = Math.Min(start + PanelScanSteps, logValues.Count - 1);
            var panelLargest = double.NegativeInfinity;
            for (var i = start; i <= end; i++)
            {
                panelLargest = Math.Max(panelLargest, logValues[i]);
            }
            var a = t0 + direction * start * ScanStep;
            var b = t0 + direction * end * ScanStep;
            if (panelLargest < largest - Negligible)
            {
                // Features are at least ~1 wide (the Gaussian factor), so e^5 above the sampled values bounds the panel.
                bounded += Math.Abs(b - a) * Math.Exp(panelLargest + 5 - largest);
                continue;
            }
            sum += GaussKronrod.Integrate(scaled, Math.Min(a, b), Math.Max(a, b), tolerance, noise, ref panelBudget);
        }
        return largest + Math.Log(sum + bounded + Math.Exp(logTail - largest));
    }

    /// <summary>e^(ℓ(t) − shift), the integrand scaled so that its sampled maximum is 1.</summary>
    private readonly struct ScaledIntegrand(PoissonGaussianIntegrand f, double shift) : IRealFunction
    {
        public double Value(double x) => Math.Exp(f.Log(x) - shift);
    }
}
