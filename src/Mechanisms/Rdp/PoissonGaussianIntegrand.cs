using Accounting.Mechanisms.Numerics;

namespace Accounting.Mechanisms.Rdp;

/// <summary>
/// The integrand of <see cref="PoissonGaussianIntegral"/>: φ(t)·g(u(t)) with s = t/σ − 1/(2σ²), u = q·expm1(s) and
/// g(u) = (1 + u)^α − 1 − αu (Mironov, Talwar, Zhang 2019, §3.1, with E[u] = 0 taken out), in log space for the
/// adaptive rule and in linear space for the trapezoidal one, with the tail bounds that end both scans.
/// </summary>
internal readonly struct PoissonGaussianIntegrand
{
    private static readonly double LogSqrt2Pi = 0.5 * Math.Log(2 * Math.PI);
    private static readonly double InvSqrt2Pi = 1 / Math.Sqrt(2 * Math.PI);

    // Below this α|u| g is summed as a series; above it, the closed form loses at most a digit or two to cancellation.
    private const double SmallRegime = 0.5;

    private readonly double _q, _alpha, _invSigma, _c, _logQ, _log1mQ, _logAlpha, _logGAtMinusQ;

    public PoissonGaussianIntegrand(double q, double sigma, double alpha)
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

    /// <summary>The point t₀ = 1/(2σ) where u = 0 and the integrand has a double zero.</summary>
    public double Zero => 0.5 * _invSigma;

    /// <summary>ℓ(t) = log(φ(t)·g(u(t))), finite wherever the integrand is positive.</summary>
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
    /// φ(t)·g(u(t)) itself given φ(t) and expm1(s(t)) (as a caller stepping through nodes carries them), for s ≤ 700
    /// and callers that have checked it stays finite: the regimes of <see cref="Log"/> with the logarithm and its
    /// exponential left out where they are not needed.
    /// </summary>
    public double Value(double t, double phi, double expm1S)
    {
        var u = _q * expm1S;
        if (Math.Abs(_alpha * u) < SmallRegime)
        {
            return phi * SmallSeries(u);
        }
        var logOnePlusU = LogSpace.Log1p(u);
        var a = _alpha * logOnePlusU;
        return a > 30 ? Math.Exp(LogPhi(t) + LogGLarge(a, LogOnePlusAlphaU(u))) : phi * GModerate(u, logOnePlusU);
    }

    /// <summary>φ(t), the standard normal density.</summary>
    public static double Phi(double t) => InvSqrt2Pi * Math.Exp(-0.5 * t * t);

    /// <summary>1/σ, the slope of s(t).</summary>
    public double InvSigma => _invSigma;

    /// <summary>
    /// Left of t₀: u decreases to −q and g is decreasing on (−1, 0], so ∫_{−∞}^{t} φ·g ≤ g(−q)·Φ(t). For t ≤ 0 the
    /// bound g(−q)·φ also decreases outwards, so it bounds a trapezoidal sum's nodes beyond t as well.
    /// </summary>
    public double LogLeftTailBound(double t) => _logGAtMinusQ + LogUpperNormalTail(-t);

    /// <summary>
    /// Right of t: log(1 + u) rises with slope below 1/σ, and g ≤ (1 + u)^α, so
    /// ∫_t^∞ φ·g ≤ exp(α·log(1 + u(t)) − αt/σ + α²/(2σ²))·Φ̄(t − α/σ). The bounding function is a Gaussian centred at
    /// α/σ (<see cref="RightTailPeak"/>): beyond it, it also bounds a trapezoidal sum's nodes beyond t.
    /// </summary>
    public double LogRightTailBound(double t)
    {
        var s = t * _invSigma - _c;
        var logOnePlusU = s <= 700 ? LogSpace.Log1p(_q * LogSpace.Expm1(s)) : LogSpace.Add(_log1mQ, _logQ + s);
        var shift = _alpha * _invSigma;
        return _alpha * logOnePlusU - t * shift + 0.5 * shift * shift + LogUpperNormalTail(t - shift);
    }

    /// <summary>α/σ, where the Gaussian bounding the right tail peaks.</summary>
    public double RightTailPeak => _alpha * _invSigma;

    private static double LogPhi(double t) => -0.5 * t * t - LogSqrt2Pi;

    // An upper bound on log Φ̄(x) = log P(N(0,1) > x): ½ for x ≤ 0, the Mills-ratio bound φ(x)/x beyond 1.
    private static double LogUpperNormalTail(double x) =>
        x <= 1 ? Math.Log(0.5) : Math.Min(Math.Log(0.5), LogPhi(x) - Math.Log(x));

    // log g(u) where log1p(u) is given; three regimes keep the result accurate.
    private double LogG(double u, double logOnePlusU)
    {
        if (Math.Abs(_alpha * u) < SmallRegime)
        {
            return Math.Log(SmallSeries(u));
        }
        var a = _alpha * logOnePlusU;
        return a > 30 ? LogGLarge(a, LogOnePlusAlphaU(u)) : Math.Log(GModerate(u, logOnePlusU));
    }

    // log(1 + αu) for αu ≥ ½, without overflowing αu.
    private double LogOnePlusAlphaU(double u) => _alpha * u < 1e300 ? Math.Log(1 + _alpha * u) : _logAlpha + Math.Log(u);

    // (1+u)^α − 1 − αu = (1+u)·expm1((α−1)·log1p(u)) − (α−1)·u.
    private double GModerate(double u, double logOnePlusU) =>
        (1 + u) * LogSpace.Expm1((_alpha - 1) * logOnePlusU) - (_alpha - 1) * u;

    // log((1+u)^α − (1 + αu)) from a = α·log(1+u) and log(1 + αu); Bernoulli's inequality keeps the ratio below 1.
    private static double LogGLarge(double a, double logOnePlusAlphaU) => a + LogSpace.Log1mExp(logOnePlusAlphaU - a);

    // Σ_{k≥2} C(α,k) u^k for α|u| < SmallRegime ≤ ½, where consecutive terms shrink by more than half.
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
