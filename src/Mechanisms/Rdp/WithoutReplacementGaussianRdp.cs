using Accounting.Mechanisms.Numerics;

namespace Accounting.Mechanisms.Rdp;

/// <summary>RDP of the Gaussian on a sample of m of n without replacement, replace-one relation.</summary>
/// <remarks>
/// The bound and its branches are those of Google's dp_accounting (<c>_compute_rdp_sample_wor_gaussian_scalar</c> and
/// <c>_compute_rdp_sample_wor_gaussian_int</c> in rdp_privacy_accountant.py), evaluated so that rounding never lowers
/// it: every step's rounding error is bounded and the result is widened by that bound.
/// </remarks>
public static class WithoutReplacementGaussianRdp
{
    // dp_accounting uses the moment-based j-th term only up to this order (its max_alpha) and the plain one above.
    private const int TightTermsMaxOrder = 256;

    // The sum costs O(α) and reads the tables up to α + 1; above this order (beyond every grid) the plain Gaussian
    // bound, also valid, is returned.
    private const double MaxSummedOrder = LogFactorials.Max - 1;

    // Unit roundoff 2^-53. Error bounds below assume the library's Log/Exp/Log1P/Expm1 err by at most 2 ulps (4u).
    internal const double RoundOff = 1.1102230246251565E-16;

    private static readonly double Ln2 = Math.Log(2);
    private static readonly double Ln4 = Math.Log(4);

    /// <summary>Wang, Balle, Kasiviswanathan 2019: an upper bound.</summary>
    /// <param name="sourceSize">n, the number of records sampled from (≥ 1).</param>
    /// <param name="sampleSize">m, the number of records in the sample (0 ≤ m ≤ n).</param>
    /// <param name="sigma">Noise multiplier σ: noise standard deviation over the replace-one sensitivity (finite, &gt; 0).</param>
    /// <param name="alpha">Rényi order α &gt; 1; +∞ allowed.</param>
    public static double Epsilon(long sourceSize, long sampleSize, double sigma, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(sampleSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleSize, sourceSize);
        if (!(double.IsFinite(sigma) && sigma > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "must be a finite number > 0");
        }
        if (!(alpha > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "must be > 1");
        }
        if (sampleSize == 0)
        {
            return 0; // Nothing of the data is used.
        }
        if (sampleSize == sourceSize)
        {
            // The sample is the whole data set, so this is the plain Gaussian, exactly (dp_accounting's q == 1 case).
            return GaussianRdp.Epsilon(sigma, alpha);
        }
        if (double.IsPositiveInfinity(alpha))
        {
            return double.PositiveInfinity; // The Gaussian has no pure-DP bound.
        }
        // The replaced record is either outside the sample (equal outputs) or inside (a Gaussian pair); Rényi
        // divergence is jointly quasi-convex (van Erven & Harremoës 2014, Thm 13), so ε(α) ≤ α/(2σ²) always. Near
        // m = n the WBK bound is looser than that, and above MaxSummedOrder it is not computed.
        var gaussian = GaussianRdp.Epsilon(sigma, alpha);
        return alpha > MaxSummedOrder ? gaussian : Math.Min(gaussian, Bound((double)sampleSize / sourceSize, sigma, alpha));
    }

    private static double Bound(double q, double sigma, double alpha)
    {
        var floor = Math.Floor(alpha);
        if (floor == alpha)
        {
            // WBK 2019, Thm 9: ε(α) ≤ log A(α) / (α − 1) at integer α ≥ 2.
            return Upward.Divide(LogABound(q, sigma, (int)alpha), alpha - 1);
        }

        // WBK 2019, Cor. 10: (α − 1)ε(α) = log E[(P/Q)^α] is convex in α (Hölder), so interpolating the bounds at
        // ⌊α⌋ and ⌈α⌉ bounds it at α; log A(1) = log E[P/Q] = 0. t, 1 − t and α − 1 are exact for α ≥ 1.
        var t = alpha - floor;
        var lower = floor == 1 ? 0 : LogABound(q, sigma, (int)floor);
        var upper = LogABound(q, sigma, (int)floor + 1);
        var interpolated = Upward.Add(Upward.Multiply(1 - t, lower), Upward.Multiply(t, upper));
        return Upward.Divide(interpolated, alpha - 1);
    }

    /// <summary>
    /// An upper bound on log A(α) = log(1 + Σ_{j=2..α} q^j C(α,j) B_j), the bound of WBK 2019, Thm 9, for the Gaussian
    /// with ε(x) = c·x, c = 1/(2σ²) (Mironov 2017, Prop. 7).
    /// </summary>
    private static double LogABound(double q, double sigma, int alpha)
    {
        var c = 1 / (2 * sigma * sigma);
        var logQ = Math.Log(q);
        var tight = alpha <= TightTermsMaxOrder;
        var highestMoment = 2 * ((alpha + 1) / 2);
        var logMoments = tight ? WithoutReplacementMoments.EvenLogBounds(c, highestMoment) : null;
        var logM2 = LogExpm1Bound(2 * c);

        // log C(α,j) by the running sum of log((α−j+1)/j): α steps, each off by at most u(|sum| + 12 ln α + 1).
        var binomialError = RoundOff * alpha * (alpha * Ln2 + 12 * Math.Log(alpha) + 1);
        var exponents = new double[alpha - 1];
        double logBinomial = 0, worstTermError = 0;
        for (var j = 1; j <= alpha; j++)
        {
            logBinomial += LogFactorials.LogOf(alpha - j + 1) - LogFactorials.LogOf(j);
            if (j < 2)
            {
                continue;
            }
            // B_j ≤ 2e^{(j−1)ε(j)} (WBK 2019, Thm 9 with ε(∞) = ∞).
            var gaussianCgf = c * (j * (double)(j - 1));
            var loose = Ln2 + gaussianCgf;
            // B_2 ≤ 4(e^{ε(2)} − 1); B_j ≤ 4·sqrt(M_{2⌊j/2⌋}·M_{2⌈j/2⌉}), M_k = E[(P/Q − 1)^k]
            // (WBK 2019, arXiv:1808.00087 Thm 27, as cited by dp_accounting).
            var moment = j == 2 ? Ln4 + logM2
                : tight ? Ln4 + 0.5 * (logMoments![j / 2] + logMoments[(j + 1) / 2])
                : double.PositiveInfinity;
            var b = Math.Min(moment, loose);
            var exponent = j * logQ + logBinomial + b;
            exponents[j - 2] = exponent;

            // First-order bound (Higham 2002, §3.1): each rounded step adds ≤ u·|result|, a library call ≤ 4u; q itself
            // is m/n rounded, which moves j·log q by ≤ j·u.
            var magnitude = Math.Abs(j * logQ) + Math.Abs(logBinomial) + Math.Abs(loose) + gaussianCgf + 1
                + (j == 2 ? Math.Abs(logM2) + Ln4
                    : double.IsFinite(moment) ? Math.Abs(logMoments![j / 2]) + Math.Abs(logMoments[(j + 1) / 2]) + Ln4
                    : 0);
            var termError = j * RoundOff * (1 + 5 * Math.Abs(logQ)) + binomialError + 8 * RoundOff * magnitude;
            worstTermError = Math.Max(worstTermError, termError);
        }

        // log T = log Σ e^{s_j} by log-sum-exp. Its own rounding: the shift s − top costs e^{s−top}·u|s − top| ≤ u/e
        // per term, exp 4u, the sum γ_α (Higham 2002, §4.2), the log 4u·log(sum), the last addition u·|log T|.
        var top = exponents.Max();
        double sum = 0;
        foreach (var s in exponents)
        {
            sum += Math.Exp(s - top);
        }
        var logT = top + Math.Log(sum);
        var logTError = worstTermError + RoundOff * (4 * Math.Log(sum) + Math.Abs(logT) + 4 * alpha + 16);
        if (logT + logTError < -650)
        {
            return 1e-282; // A(α) − 1 ≤ e^{-650} here: ≥ log A(α), and far from subnormal range.
        }

        // log A = log(1 + T), stable on both sides of T = 1.
        var logA = LogSpace.Log1pExp(logT);

        // With log T off by ≤ E: for T ≤ 1, log1p(T(1+δ)) ≤ (1+δ)·log1p(T) (concavity) gives relative error
        // ≤ expm1(E); for T > 1, d log A / d log T < 1 gives absolute error ≤ E, relative ≤ E / log A, log A ≥ ln 2.
        var relative = Upward.Add(2 * Expm1Above(logTError) / Math.Max(1, logA), 32 * RoundOff);
        return Upward.Multiply(logA, Upward.Add(1, relative));
    }

    /// <summary>An upper bound on log(e^x − 1) for x &gt; 0, stable for tiny and large x.</summary>
    internal static double LogExpm1Bound(double x)
    {
        // For x > 1, 1 − e^{−x} ≥ 0.63 suffers no cancellation.
        var value = x <= 1 ? Math.Log(LogSpace.Expm1(x)) : x + Math.Log(1 - Math.Exp(-x));
        // x carries c's relative error 2u, which moves log(e^x − 1) by ≤ 2u·x·e^x/(e^x − 1) ≤ 2u(1 + x).
        return Upward.Add(value, 16 * RoundOff * (1 + x + Math.Abs(value)));
    }

    /// <summary>A cheap value ≥ e^x − 1 for x ≥ 0, for error margins: x + x² ≥ e^x − 1 when x ≤ 1.</summary>
    internal static double Expm1Above(double x) => x <= 1 ? x * (1 + x) : Math.Exp(x);
}
