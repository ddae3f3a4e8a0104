namespace Accounting.Mechanisms.Tests.Reference;

/// <summary>
/// Independent high-precision RDP of the Poisson-subsampled Gaussian, add/remove relation (Mironov, Talwar, Zhang
/// 2019, "Rényi Differential Privacy of the Sampled Gaussian Mechanism"): ε(α) = log(A_α)/(α − 1) with
/// A_α = E_{z~N(0,σ²)}[((1−q) + q·e^((2z−1)/(2σ²)))^α]. Test-only; shares no code with production.
/// </summary>
public static class ReferenceRdp
{
    /// <summary>ε(α) at integer α ≥ 2 from the exact binomial expansion, rounded to double.</summary>
    public static double IntegerOrder(double q, double sigma, int alpha) => IntegerOrderDoubleDouble(q, sigma, alpha).ToDouble();

    /// <summary>ε(α) at integer α ≥ 2 from the exact binomial expansion, in double-double.</summary>
    public static DoubleDouble IntegerOrderDoubleDouble(double q, double sigma, int alpha)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(alpha, 2);
        return Epsilon(q, sigma, alpha, () => SampledGaussianBinomialSum.LogAMinusOne(q, sigma, alpha));
    }

    /// <summary>log(A_α − 1) at integer α ≥ 2 from the binomial expansion; −∞ when q = 0.</summary>
    public static DoubleDouble IntegerOrderLogAMinusOne(double q, double sigma, int alpha)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(alpha, 2);
        return LogAMinusOne(q, sigma, alpha, () => SampledGaussianBinomialSum.LogAMinusOne(q, sigma, alpha));
    }

    /// <summary>ε(α) at any real α &gt; 1 by Gauss–Legendre quadrature, rounded to double.</summary>
    public static double Quadrature(double q, double sigma, double alpha) => QuadratureDoubleDouble(q, sigma, alpha).ToDouble();

    /// <summary>ε(α) at any real α &gt; 1 by Gauss–Legendre quadrature, in double-double (≥ 12 correct digits).</summary>
    public static DoubleDouble QuadratureDoubleDouble(double q, double sigma, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(alpha, 1);
        return Epsilon(q, sigma, alpha, () => SampledGaussianQuadrature.LogAMinusOne(q, sigma, alpha));
    }

    /// <summary>log(A_α − 1) at any real α &gt; 1 by quadrature; −∞ when q = 0.</summary>
    public static DoubleDouble QuadratureLogAMinusOne(double q, double sigma, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(alpha, 1);
        return LogAMinusOne(q, sigma, alpha, () => SampledGaussianQuadrature.LogAMinusOne(q, sigma, alpha));
    }

    private static DoubleDouble Epsilon(double q, double sigma, double alpha, Func<DoubleDouble> logAMinusOne)
    {
        Validate(q, sigma);
        if (q == 0)
        {
            return DoubleDouble.Zero;
        }
        if (q == 1)
        {
            // Unsampled Gaussian: ε(α) = α/(2σ²) (Mironov 2017, Proposition 7).
            return alpha / (2.0 * DoubleDouble.ExactProduct(sigma, sigma));
        }
        var logA1 = logAMinusOne();
        // log A = log1p(A − 1); for A − 1 ≥ 1 write it as log(A − 1) + log1p(1/(A − 1)) so nothing overflows.
        var logA = logA1.Hi < 0
            ? DoubleDouble.Log1p(DoubleDouble.Exp(logA1))
            : logA1 + DoubleDouble.Log1p(DoubleDouble.Exp(-logA1));
        return logA / (alpha - 1);
    }

    private static DoubleDouble LogAMinusOne(double q, double sigma, double alpha, Func<DoubleDouble> general)
    {
        Validate(q, sigma);
        if (q == 0)
        {
            return new DoubleDouble(double.NegativeInfinity, 0);
        }
        if (q == 1)
        {
            // A_α = e^(α(α−1)/(2σ²)) when every record is sampled.
            var exponent = (alpha * (DoubleDouble.FromDouble(alpha) - DoubleDouble.One)) / (2.0 * DoubleDouble.ExactProduct(sigma, sigma));
            return SampledGaussianBinomialSum.LogExpm1(exponent);
        }
        return general();
    }

    private static void Validate(double q, double sigma)
    {
        if (!(q >= 0 && q <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "Sampling rate must lie in [0, 1].");
        }
        if (!(sigma > 0 && double.IsFinite(sigma)))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "Noise multiplier must be positive and finite.");
        }
    }
}
