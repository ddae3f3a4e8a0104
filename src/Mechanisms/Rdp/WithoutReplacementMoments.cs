using Accounting.Mechanisms.Numerics;

namespace Accounting.Mechanisms.Rdp;

/// <summary>
/// Upper bounds on the central moments M_k = E_Q[(P/Q − 1)^k] of the Gaussian pair, for the tight terms of the
/// sampling-without-replacement bound (Wang, Balle, Kasiviswanathan 2019, arXiv:1808.00087 Thm 27).
/// </summary>
internal static class WithoutReplacementMoments
{
    // The direct moment sum is replaced by the positive series where its error bound exceeds this fraction of it,
    // if the series is affordable: about e·c·k² rows of k terms.
    private const double SeriesTrigger = 1e-9;
    private const double SeriesMaxExponent = 1000;
    private const double RoundOff = WithoutReplacementGaussianRdp.RoundOff;
    private static readonly double Ln2 = Math.Log(2);

    /// <summary>
    /// Upper bounds on log M_k for even k = 2, 4, …, <paramref name="highest"/> (index k/2), where
    /// M_k = E_Q[(P/Q − 1)^k] = Σ_l C(k,l)(−1)^{k−l} e^{c·l(l−1)} for the Gaussian pair, since E_Q[(P/Q)^l] = e^{(l−1)ε(l)}
    /// (binomial expansion; dp_accounting gets the same numbers as forward differences, _get_forward_diffs).
    /// </summary>
    public static double[] EvenLogBounds(double c, int highest)
    {
        var result = new double[highest / 2 + 1];
        result[0] = double.NegativeInfinity; // Unused: M_0 would be 1.
        result[1] = WithoutReplacementGaussianRdp.LogExpm1Bound(2 * c);     // M_2 = e^{ε(2)} − 1 in closed form.
        var logTerms = new double[highest + 1];
        var illConditionedUpTo = 0;
        for (var k = 4; k <= highest; k += 2)
        {
            var binomialError = RoundOff * k * (k * Ln2 + 12 * Math.Log(k) + 1);
            double logBinomial = 0, top = double.NegativeInfinity;
            for (var l = 0; l <= k; l++)
            {
                if (l > 0)
                {
                    logBinomial += LogFactorials.LogOf(k - l + 1) - LogFactorials.LogOf(l);
                }
                logTerms[l] = logBinomial + c * (l * (double)(l - 1));
                top = Math.Max(top, logTerms[l]);
            }

            // The alternating sum cancels badly for large σ; its error is bounded by the relative error of each term
            // times Σ|terms|, and that bound is added, so the result stays an upper bound however much cancels.
            double plus = 0, minus = 0, worstArgumentError = 0;
            for (var l = 0; l <= k; l++)
            {
                var shifted = logTerms[l] - top;
                var term = Math.Exp(shifted);
                if ((k - l) % 2 == 0)
                {
                    plus += term;
                }
                else
                {
                    minus += term;
                }
                var argumentError = binomialError + 4 * RoundOff * (c * (l * (double)(l - 1)))
                    + RoundOff * (Math.Abs(logTerms[l]) + Math.Abs(shifted));
                worstArgumentError = Math.Max(worstArgumentError, argumentError);
            }
            // Per-term relative error (argument error plus exp's 4u), plus recursive summation's γ_{k+1} (Higham 2002,
            // §4.2), doubled for safety.
            var relative = 2 * (WithoutReplacementGaussianRdp.Expm1Above(worstArgumentError) + RoundOff * (k + 8));
            var bound = Upward.Add(Upward.Add(plus, -minus), Upward.Multiply(relative, Upward.Add(plus, minus)));
            // bound > 0 whenever the error analysis holds (M_k > 0); otherwise give no information (+∞ loses the min).
            result[k / 2] = bound > 0 ? Upward.Add(top, Upward.Ulps(Math.Log(bound), 4)) : double.PositiveInfinity;
            if (!(relative * (plus + minus) <= SeriesTrigger * (plus - minus)))
            {
                illConditionedUpTo = k;
            }
        }

        // Where the sum lost digits (large σ), the positive series is cheap (c·k² small) and loses none.
        if (illConditionedUpTo > 0 && c * illConditionedUpTo * (illConditionedUpTo - 1.0) <= SeriesMaxExponent)
        {
            var series = SeriesEvenLogBounds(c, illConditionedUpTo);
            for (var k = 4; k <= illConditionedUpTo; k += 2)
            {
                result[k / 2] = Math.Min(result[k / 2], series[k / 2]); // Both are upper bounds.
            }
        }
        return result;
    }

    /// <summary>
    /// Upper bounds on log M_k for even k = 2, …, <paramref name="highest"/> (index k/2) from a series of positive terms,
    /// M_k = Σ_{m ≥ 1} w(m,k) with w(0,k) = [k = 0] and w(m+1,k) = c·k(k−1)/(m+1)·(w(m,k−2) + 2w(m,k−1) + w(m,k)).
    /// </summary>
    /// <remarks>
    /// M_k is the k-th forward difference at 0 of e^{c·l(l−1)} = Σ_m c^m ((l)₂)^m / m!. Since (l)₂·(l)_p =
    /// (l)_{p+2} + 2p·(l)_{p+1} + p(p−1)·(l)_p and Δ^k (l)_p at 0 is k!·[p = k] (Graham, Knuth, Patashnik 1994, §2.6),
    /// w(m,k) = c^m·k!·[(l)_k]((l)₂)^m / m! ≥ 0, which gives the recurrence; evaluating ((l)₂)^m at l = k bounds
    /// w(m,k) ≤ x^m/m!, x = c·k(k−1), which bounds the tail.
    /// </remarks>
    private static double[] SeriesEvenLogBounds(double c, int highest)
    {
        var result = new double[highest / 2 + 1];
        Array.Fill(result, double.PositiveInfinity); // No information unless the series converges in time.
        var x = c * highest * (highest - 1.0);
        var row = new double[highest + 1];
        var next = new double[highest + 1];
        var sums = new double[highest + 1];
        Array.Fill(row, double.NegativeInfinity);
        Array.Fill(next, double.NegativeInfinity); // w(m,0) = w(m,1) = 0 for m ≥ 1.
        Array.Fill(sums, double.NegativeInfinity);
        row[0] = 0;
        double error = 0, logFactorial = 0;
        var maxRows = (int)(3 * x) + highest + 200;
        for (var m = 0; m < maxRows; m++)
        {
            double magnitude = 0;
            for (var r = 2; r <= highest; r++)
            {
                var a = row[r - 2];
                var b = row[r - 1] + Ln2;
                var d = row[r];
                var top = Math.Max(a, Math.Max(b, d));
                if (top == double.NegativeInfinity)
                {
                    next[r] = double.NegativeInfinity;
                    continue;
                }
                var logFactor = Math.Log(c * (r * (r - 1.0)) / (m + 1));
                next[r] = logFactor + top + Math.Log(Math.Exp(a - top) + Math.Exp(b - top) + Math.Exp(d - top));
                sums[r] = LogSpace.Add(sums[r], next[r]);
                magnitude = Math.Max(magnitude,
                    Math.Max(Math.Abs(logFactor), Math.Max(Math.Abs(top), Math.Max(Math.Abs(next[r]), Math.Abs(sums[r])))));
            }
            (row, next) = (next, row);
            next[0] = double.NegativeInfinity; // The old row's w(0,0) = 1 must not leak into later rows.
            // Each row adds ≤ u(16 + 12·max|operand|) in log units: c's 2u, the factor, the shifted exps, the sums.
            error += RoundOff * (16 + 12 * magnitude);
            logFactorial += Math.Log(m + 1);

            // Rows 1..m+1 are summed; the rest is ≤ Σ_{i > m+1} x^i/i!, a ratio-< 1 geometric tail once m + 3 > x.
            var included = m + 1;
            if (included + 2 <= x)
            {
                continue;
            }
            var logTail = (included + 1) * Math.Log(x) - logFactorial - Math.Log(included + 1.0)
                - Math.Log(1 - x / (included + 2)) + 1e-6;
            var converged = true;
            for (var k = 2; k <= highest && converged; k += 2)
            {
                converged = logTail <= sums[k] - 40;
            }
            if (!converged)
            {
                continue;
            }
            for (var k = 2; k <= highest; k += 2)
            {
                result[k / 2] = Upward.Add(Upward.Add(sums[k], error), Upward.Ulps(LogSpace.Log1pExp(logTail - sums[k]), 2));
            }
            return result;
        }
        return result;
    }
}
