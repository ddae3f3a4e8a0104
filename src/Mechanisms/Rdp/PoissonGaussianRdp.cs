using Accounting.Mechanisms.Numerics;

namespace Accounting.Mechanisms.Rdp;

/// <summary>
/// RDP of the Poisson-subsampled Gaussian, add/remove relation (Mironov, Talwar, Zhang 2019):
/// ε(α) = log A_α / (α − 1), A_α = E_{z~N(0,σ²)}[((1 − q) + q·exp((2z − 1)/(2σ²)))^α].
/// Both paths compute A_α − 1 as a sum or integral of non-negative terms, so nothing cancels even when
/// A_α − 1 is 1e-14; the result is then raised by <see cref="RelativeMargin"/> to stay above the true value.
/// </summary>
public static class PoissonGaussianRdp
{
    /// <summary>
    /// Upward margin on every value: the floating-point error of the log-space sums and of the quadrature is below
    /// 1e-11 relative at α ≤ 1024 (checked against double-double references in the tests); this keeps a tenfold reserve.
    /// </summary>
    public const double RelativeMargin = 1e-10;

    // Terms this far (in log) below the largest are not evaluated exactly; each is bounded by e^-50 of the largest.
    private const double Negligible = 50;

    /// <summary>ε(α) for sampling rate q ∈ (0, 1], noise multiplier σ &gt; 0 and order α &gt; 1 (+∞ allowed).</summary>
    public static double Epsilon(double samplingRate, double sigma, double alpha)
    {
        var gaussian = GaussianRdp.Epsilon(sigma, alpha);
        if (samplingRate >= 1 || double.IsPositiveInfinity(alpha))
        {
            // q = 1 is the Gaussian itself; at α = ∞ the subsampled Gaussian is not pure DP either.
            return gaussian;
        }
        var integer = alpha == Math.Floor(alpha) && alpha <= LogFactorials.Max;
        var logExcess = integer
            ? LogExcessAtIntegerOrder(samplingRate, sigma, (int)alpha)
            : Quadrature(samplingRate, sigma) ? PoissonGaussianIntegral.LogExcess(samplingRate, sigma, alpha) : double.NaN;
        if (double.IsNaN(logExcess) && !integer && alpha < LogFactorials.Max)
        {
            // No quadrature, or it gave up: ε is non-decreasing in α (van Erven, Harremoës 2014, "Rényi divergence
            // and Kullback–Leibler divergence", Theorem 3), so the next integer order's exact value bounds it.
            return Epsilon(samplingRate, sigma, Math.Ceiling(alpha));
        }
        if (double.IsNaN(logExcess))
        {
            return gaussian; // beyond the integer orders too: the unsubsampled Gaussian bounds it (see below)
        }
        var epsilon = Upward.Divide(Upward.Ulps(LogSpace.Log1pExp(logExcess), 2), alpha - 1);
        // Subsampling never costs more than the Gaussian it wraps (quasi-convexity of Rényi divergence).
        return Math.Min(gaussian, Upward.Multiply(epsilon, 1 + RelativeMargin));
    }

    // The quadrature is accurate and quick for the σ and q training uses; far below them (σ < 0.05: noise a twentieth
    // of the sensitivity; q < 1e-12) its integrand spreads over distances it would take seconds to scan.
    private static bool Quadrature(double q, double sigma) => sigma >= 0.05 && q >= 1e-12;

    /// <summary>
    /// log(A_α − 1) at integer α: Σ_{k≥2} C(α,k) q^k (1−q)^{α−k} expm1(k(k−1)/(2σ²)) — the binomial expansion of
    /// Mironov, Talwar, Zhang 2019, §3.2, with Σ_k C(α,k) q^k (1−q)^{α−k} = 1 taken out term by term (k ≤ 1 cancel).
    /// </summary>
    private static double LogExcessAtIntegerOrder(double q, double sigma, int alpha)
    {
        var logQ = Math.Log(q);
        var log1mQ = LogSpace.Log1p(-q);
        var c = 1 / (2 * sigma * sigma);
        var logC = Math.Log(c);

        // First pass: the largest lower bound of a term, from expm1(x) ≥ x and, for x ≥ 0.46, expm1(x) ≥ e^(x−1).
        var largest = double.NegativeInfinity;
        for (var k = 2; k <= alpha; k++)
        {
            var x = c * k * (k - 1);
            var logX = logC + LogFactorials.LogOf(k) + LogFactorials.LogOf(k - 1);
            var lower = LogBinomialTerm(alpha, k, logQ, log1mQ) + (x >= 0.46 ? Math.Max(logX, x - 1) : logX);
            largest = Math.Max(largest, lower);
        }

        // Second pass: exact terms near the largest; the rest bounded above via expm1(x) ≤ min(e^x, x·e^x).
        double sum = 0;
        var skipped = 0;
        for (var k = 2; k <= alpha; k++)
        {
            var x = c * k * (k - 1);
            var logP = LogBinomialTerm(alpha, k, logQ, log1mQ);
            var logX = logC + LogFactorials.LogOf(k) + LogFactorials.LogOf(k - 1);
            if (logP + x + Math.Min(0, logX) < largest - Negligible)
            {
                skipped++;
                continue;
            }
            // log expm1(x) = x + log(1 − e^−x), exact enough either way.
            var logExpm1 = x > 1 ? x + LogSpace.Log1mExp(-x) : Math.Log(LogSpace.Expm1(x));
            sum += Math.Exp(logP + logExpm1 - largest);
        }
        return largest + Math.Log(sum + skipped * Math.Exp(-Negligible));
    }

    // log of the binomial probability C(α,k) q^k (1−q)^{α−k}.
    private static double LogBinomialTerm(int alpha, int k, double logQ, double log1mQ) =>
        LogFactorials.LogBinomial(alpha, k) + k * logQ + (alpha - k) * log1mQ;
}
