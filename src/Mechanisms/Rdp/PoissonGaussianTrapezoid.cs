namespace Accounting.Mechanisms.Rdp;

/// <summary>
/// The fast path of <see cref="PoissonGaussianIntegral"/>: the trapezoidal rule on the whole line, nodes t₀ + jh.
/// The integrand is analytic in the strip |Im t| &lt; πσ (1 + u = 0 needs Im s = ±π, ±3π, …) and decays like a
/// Gaussian, where the rule converges geometrically in 1/h (Trefethen &amp; Weideman 2014, "The exponentially
/// convergent trapezoidal rule", SIAM Rev. 56(3), §5).
/// </summary>
/// <remarks>
/// The error check: each rule is made of two interleaved rules of twice the step, whose leading aliasing errors (the
/// integrand's Fourier transform at π/h, Trefethen &amp; Weideman §5) are equal and opposite, so half their difference is
/// the coarser rule's error, and the finer rule's own error is of the next order. A step is accepted only when that
/// estimate is within <see cref="RelativeTolerance"/> of the sum, and the estimate is then added to the result, like
/// the proven tail bounds that end the scans: the result leans upwards. The step is halved at most
/// <see cref="MaxHalvings"/> times; otherwise (or where the integrand could overflow in linear space) the rule declines
/// and the caller falls back to the adaptive rule.
/// </remarks>
internal static class PoissonGaussianTrapezoid
{
    private const double RelativeTolerance = 1e-12;
    private const int MaxHalvings = 2;
    private const int MaxNodesPerSide = 2048;

    // Initial step: min(MaxStep, StepPerSigma·σ). The Gaussian factor sets a width of ~1 and the strip a scale of σ.
    private const double MaxStep = 0.4;
    private const double StepPerSigma = 1.0 / 3;

    // A side's scan ends once its proven tail bound is below e^-32 ≈ 1.3e-14 of the mass summed so far (the bound is
    // added, so this only costs that much upward lean); the bound is only consulted once the nodes have fallen e^-22
    // below their largest value, where it can succeed.
    private const double Negligible = 32;
    private static readonly double Decayed = Math.Exp(-22);

    // In linear space the integrand stays below exp(α(α−1)/(2σ²))/√(2π) (it is at most φ(t)·e^(αs)); beyond this
    // exponent, or when the sum is too small to keep its relative precision, the rule declines.
    private const double MaxLogIntegrand = 600;
    private const double MinSum = 1e-280;

    /// <summary>log ∫ f over the real line, when the rule's error check is met; false otherwise.</summary>
    public static bool TryLogIntegral(in PoissonGaussianIntegrand f, double sigma, double alpha, out double logIntegral)
    {
        logIntegral = double.NaN;
        if (alpha * (alpha - 1) / (2 * sigma * sigma) > MaxLogIntegrand)
        {
            return false;
        }
        var h = Math.Min(MaxStep, StepPerSigma * sigma);
        double even = 0, odd = 0; // f(t₀) = 0, so the node j = 0 adds nothing
        if (!Scan(f, h, +1, 0, ref even, ref odd, out var lastRight, out var logTailRight)
            || !Scan(f, h, -1, even + odd, ref even, ref odd, out var lastLeft, out var logTailLeft))
        {
            return false;
        }

        // coarse and fine are the node sums of two interleaved rules of step `step`; together, of step step/2.
        double coarse = even, fine = odd, step = 2 * h;
        for (var level = 0; ; level++)
        {
            var sum = 0.5 * step * (coarse + fine);
            var estimate = 0.5 * step * Math.Abs(coarse - fine);
            if (estimate <= RelativeTolerance * sum && sum >= MinSum)
            {
                logIntegral = Math.Log(sum + estimate + Math.Exp(logTailRight) + Math.Exp(logTailLeft));
                return true;
            }
            if (level == MaxHalvings || !(sum >= MinSum))
            {
                return false;
            }
            // Halve: the nodes so far form one rule, the midpoints between them the other.
            coarse += fine;
            step *= 0.5;
            var perNode = 1 << level; // nodes of spacing `step` per node of the scan
            fine = Midpoints(f, step, +1, lastRight * perNode) + Midpoints(f, step, -1, lastLeft * perNode);
        }
    }

    // Nodes t₀ ± jh, j ≥ 1, summed into even and odd j, until the tail beyond is negligible against the mass so far
    // plus this side's; the tail's bound is returned too. The bounds also cover nodes (of any step) beyond the last
    // one only where they decrease outwards: left of 0, and right of the bounding Gaussian's peak.
    private static bool Scan(
        in PoissonGaussianIntegrand f, double h, int direction, double massSoFar,
        ref double even, ref double odd, out int last, out double logTail)
    {
        var nodes = new PoissonGaussianNodes(f, direction * h, direction * h);
        double largest = 0, side = 0;
        for (var j = 1; j <= MaxNodesPerSide; j++)
        {
            var value = nodes.Next(f, out var t);
            if ((j & 1) == 0)
            {
                even += value;
            }
            else
            {
                odd += value;
            }
            side += value;
            largest = Math.Max(largest, value);
            var outward = direction > 0 ? t >= f.RightTailPeak : t <= 0;
            if (outward && value <= largest * Decayed)
            {
                logTail = direction > 0 ? f.LogRightTailBound(t) : f.LogLeftTailBound(t);
                if (logTail < Math.Log(h * (massSoFar + side)) - Negligible)
                {
                    last = j;
                    return true;
                }
            }
        }
        last = 0;
        logTail = double.NaN;
        return false;
    }

    // Σ f(t₀ ± (j − ½)·step) for j = 1..count.
    private static double Midpoints(in PoissonGaussianIntegrand f, double step, int direction, int count)
    {
        var nodes = new PoissonGaussianNodes(f, direction * 0.5 * step, direction * step);
        double sum = 0;
        for (var j = 1; j <= count; j++)
        {
            sum += nodes.Next(f, out _);
        }
        return sum;
    }
}
