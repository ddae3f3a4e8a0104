using Accounting.Mechanisms.Numerics;

namespace Accounting.Mechanisms.Rdp;

/// <summary>
/// log(A_α − 1) of the Poisson-subsampled Gaussian at any real order, by quadrature of a non-negative integrand.
/// With t ~ N(0, 1), s = t/σ − 1/(2σ²) and u = q·expm1(s) (so 1 + u is the likelihood ratio's mixture term),
/// A_α = E[(1 + u)^α] (Mironov, Talwar, Zhang 2019, §3.1) and E[u] = 0, hence A_α − 1 = E[g(u)] with
/// g(u) = (1 + u)^α − 1 − αu ≥ 0 by convexity. The real line splits at t₀ = 1/(2σ), where u = 0: below it
/// u ∈ (−q, 0), above it u &gt; 0. Each side is scanned outward from t₀ until a proven tail bound is negligible,
/// then integrated by adaptive Gauss–Kronrod on the panels that carry mass; tail bounds are added, not dropped.
/// </summary>
internal static class PoissonGaussianIntegral
{
    private const double ScanStep = 0.5;
    private const int PanelScanSteps = 4;
    // Parts of the integral below e^-60 of the largest integrand value are bounded, not integrated.
    private const double Negligible = 60;
    private const double RelativeTolerance = 1e-14;
    private const double Ulp = 1.1102230246251565e-16; // 2^-53, the unit roundoff
    private static readonly double LogSqrt2Pi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>log(A_α − 1) for q ∈ (0, 1), σ &gt; 0, finite α &gt; 1.</summary>
    public static double LogExcess(double q, double sigma, double alpha)
    {
        var f = new LogIntegrand(q, sigma, alpha);
        var t0 = 1 / (2 * sigma);
        return LogSpace.Add(Side(f, t0, -1), Side(f, t0, +1));
    }

    // log ∫ over (−∞, t₀] (direction −1) or [t₀, ∞) (direction +1).
    private static double Side(in LogIntegrand f, double t0, int direction)
    {
        var logValues = new List<double>(64) { double.NegativeInfinity }; // g = 0 at t₀
        var largest = double.NegativeInfinity;
        double logTail;
        for (var i = 1; ; i++)
        {
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
            sum += GaussKronrod.Integrate(scaled, Math.Min(a, b), Math.Max(a, b), tolerance, noise);
        }
        return largest + Math.Log(sum + bounded + Math.Exp(logTail - largest));
    }

    /// <summary>e^(ℓ(t) − shift), the integrand scaled so that its sampled maximum is 1.</summary>
    private readonly struct ScaledIntegrand(LogIntegrand f, double shift) : IRealFunction
    {
        public double Value(double x) => Math.Exp(f.Log(x) - shift);
    }

    /// <summary>ℓ(t) = log(φ(t)·g(u(t))) and the tail bounds used to stop the scan.</summary>
    private readonly struct LogIntegrand
    {
        private readonly double _q, _alpha, _invSigma, _c, _logQ, _log1mQ, _logAlpha, _logGAtMinusQ;

        public LogIntegrand(double q, double sigma, double alpha)
        {
            _q = q;
            _alpha = alpha;
            _invSigma = 1 / sigma;
            _c = 1 / (2 * sigma * sigma);
            _logQ = Math.Log(q);
            _log1mQ = LogSpace.Log1p(-q);
            _logAlpha = Math.Log(alpha);
            _logGAtMinusQ = LogG(-q, _log1mQ);
        }

        public double Log(double t)
        {
            var s = t * _invSigma - _c;
            if (s <= 700)
            {
                var u = _q * LogSpace.Expm1(s);
                return LogPhi(t) + LogG(u, LogSpace.Log1p(u));
            }
            // 1 + u = (1 − q) + q·e^s overflows here; g ≈ (1 + u)^α to within the factor handled below.
            var logOnePlusU = LogSpace.Add(_log1mQ, _logQ + s);
            var logU = _logQ + s + LogSpace.Log1mExp(-s);
            return LogPhi(t) + LogGLarge(_alpha * logOnePlusU, LogSpace.Log1pExp(_logAlpha + logU));
        }

        /// <summary>
        /// Left of t₀: u decreases to −q and g is decreasing on (−1, 0], so ∫_{−∞}^{t} φ·g ≤ g(−q)·Φ(t).
        /// </summary>
        public double LogLeftTailBound(double t) => _logGAtMinusQ + LogUpperNormalTail(-t);

        /// <summary>
        /// Right of t: log(1 + u) rises with slope below 1/σ, and g ≤ (1 + u)^α, so
        /// ∫_t^∞ φ·g ≤ exp(α·log(1 + u(t)) − αt/σ + α²/(2σ²))·Φ̄(t − α/σ).
        /// </summary>
        public double LogRightTailBound(double t)
        {
            var s = t * _invSigma - _c;
            var logOnePlusU = s <= 700 ? LogSpace.Log1p(_q * LogSpace.Expm1(s)) : LogSpace.Add(_log1mQ, _logQ + s);
            var shift = _alpha * _invSigma;
            return _alpha * logOnePlusU - t * shift + 0.5 * shift * shift + LogUpperNormalTail(t - shift);
        }

        private static double LogPhi(double t) => -0.5 * t * t - LogSqrt2Pi;

        // An upper bound on log Φ̄(x) = log P(N(0,1) > x): ½ for x ≤ 0, the Mills-ratio bound φ(x)/x beyond 1.
        private static double LogUpperNormalTail(double x) =>
            x <= 1 ? Math.Log(0.5) : Math.Min(Math.Log(0.5), LogPhi(x) - Math.Log(x));

        // log g(u) where log1p(u) is given; three regimes keep the result accurate (see the class remarks).
        private double LogG(double u, double logOnePlusU)
        {
            var alphaU = _alpha * u;
            if (Math.Abs(alphaU) < 0.5)
            {
                return Math.Log(SmallSeries(u));
            }
            var a = _alpha * logOnePlusU;
            if (a > 30)
            {
                return LogGLarge(a, alphaU < 1e300 ? Math.Log(1 + alphaU) : _logAlpha + Math.Log(u));
            }
            // (1+u)^α − 1 − αu = (1+u)·expm1((α−1)·log1p(u)) − (α−1)·u: at most a digit or two cancels when α|u| ≥ ½.
            return Math.Log((1 + u) * LogSpace.Expm1((_alpha - 1) * logOnePlusU) - (_alpha - 1) * u);
        }

        // log((1+u)^α − (1 + αu)) from a = α·log(1+u) and log(1 + αu); Bernoulli's inequality keeps the ratio below 1.
        private static double LogGLarge(double a, double logOnePlusAlphaU) => a + LogSpace.Log1mExp(logOnePlusAlphaU - a);

        // Σ_{k≥2} C(α,k) u^k for α|u| < ½, where consecutive terms shrink by more than half.
        private double SmallSeries(double u)
        {
            var term = 0.5 * _alpha * (_alpha - 1) * u * u;
            var sum = term;
            for (var k = 2; k < 80 && Math.Abs(term) > 1e-18 * Math.Abs(sum); k++)
            {
                term *= (_alpha - k) / (k + 1) * u;
                sum += term;
            }
            return sum;
        }
    }
}
