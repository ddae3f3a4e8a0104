namespace Accounting.TrainerAdapters.Clipping;

/// <summary>
/// Per-example L2 clipping for DP-SGD (Abadi et al. 2016, "Deep Learning with Differential Privacy", Algorithm 1):
/// each gradient g is scaled by min(1, C/‖g‖). The clipped float vector's exact norm never exceeds C: norms are bounded
/// from above in double, and a vector that float rounding pushes over C is shrunk again until it fits.
/// </summary>
public static class PerExampleClipping
{
    /// <summary>The first retry multiplies by 1 − 2^-24, the float just below 1.</summary>
    private const double FirstShrinkStep = 1.0 / (1 << 24);

    /// <summary>
    /// Clips one gradient to L2 norm at most <paramref name="clipNorm"/> into <paramref name="destination"/>, which
    /// may be the gradient itself.
    /// </summary>
    /// <exception cref="ArgumentException">The gradient holds a NaN or an infinity, or the lengths differ.</exception>
    public static ClippedNorm Clip(ReadOnlySpan<float> gradient, double clipNorm, Span<float> destination)
    {
        ValidateClipNorm(clipNorm);
        if (destination.Length != gradient.Length)
        {
            throw new ArgumentException("The destination must have the gradient's length.", nameof(destination));
        }
        var sumOfSquares = FiniteSumOfSquares(gradient, nameof(gradient), example: null);
        var scale = FitScale(gradient, sumOfSquares, clipNorm, out var clipped);
        for (var i = 0; i < gradient.Length; i++)
        {
            destination[i] = L2Norm.Scaled(gradient[i], scale);
        }
        return clipped;
    }

    /// <summary>
    /// Clips each of the <c>gradients.Length / dimension</c> examples stored back to back in
    /// <paramref name="gradients"/> and adds the clipped vectors to <paramref name="sum"/>. The sum is kept in double
    /// so that a batch adds up without float rounding; round it once when handing it to the model. Nothing is added
    /// unless every gradient is finite.
    /// </summary>
    /// <param name="gradients">Per-example gradients, example i at [i·dimension, (i + 1)·dimension).</param>
    /// <param name="dimension">The number of parameters per example.</param>
    /// <param name="clipNorm">The clipping norm C.</param>
    /// <param name="sum">Receives Σ_i clip(g_i); its existing contents are added to.</param>
    /// <param name="norms">Receives ‖g_i‖ before clipping.</param>
    /// <param name="sensitivityFactors">Receives s_i with ‖clip(g_i)‖ ≤ s_i·C (see <see cref="ClippedNorm"/>).</param>
    /// <exception cref="ArgumentException">A gradient holds a NaN or an infinity, or the lengths do not fit.</exception>
    public static void ClipAndSum(
        ReadOnlySpan<float> gradients,
        int dimension,
        double clipNorm,
        Span<double> sum,
        Span<double> norms,
        Span<double> sensitivityFactors)
    {
        ValidateClipNorm(clipNorm);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (gradients.Length % dimension != 0 || sum.Length != dimension)
        {
            throw new ArgumentException(
                "The gradients must hold whole examples of the given dimension and the sum must have that dimension.",
                nameof(gradients));
        }
        var count = gradients.Length / dimension;
        if (norms.Length != count || sensitivityFactors.Length != count)
        {
            throw new ArgumentException("There must be one norm and one sensitivity factor per example.", nameof(norms));
        }
        // First pass: every sum of squares, so that a non-finite gradient is refused before the sum changes.
        for (var example = 0; example < count; example++)
        {
            norms[example] = FiniteSumOfSquares(gradients.Slice(example * dimension, dimension), nameof(gradients), example);
        }
        for (var example = 0; example < count; example++)
        {
            var gradient = gradients.Slice(example * dimension, dimension);
            var scale = FitScale(gradient, norms[example], clipNorm, out var clipped);
            for (var i = 0; i < dimension; i++)
            {
                sum[i] += L2Norm.Scaled(gradient[i], scale);
            }
            (norms[example], sensitivityFactors[example]) = clipped;
        }
    }

    /// <summary>
    /// A double never below the exact L2 norm of <paramref name="vector"/>, and above it by a relative error below
    /// (2n + 16)·2^-53 for n components.
    /// </summary>
    public static double NormUpperBound(ReadOnlySpan<float> vector) =>
        L2Norm.UpperBound(L2Norm.SumOfSquares(vector), vector.Length);

    /// <summary>
    /// The factor c ≤ 1 such that the floats g_i·c have exact norm ≤ C: 1 if g already fits, else C/‖g‖ (from the
    /// upper bound), shrunk further while the rounded vector's bound still exceeds C. The first shrink is the next
    /// float below 1; later ones double their step (capped at ½) so that rounding towards subnormals cannot stall.
    /// </summary>
    private static double FitScale(ReadOnlySpan<float> gradient, double sumOfSquares, double clipNorm, out ClippedNorm clipped)
    {
        var norm = Math.Sqrt(sumOfSquares);
        var upper = L2Norm.UpperBound(sumOfSquares, gradient.Length);
        if (upper <= clipNorm)
        {
            // Rounded up so that s·C ≥ upper ≥ the exact norm; a zero gradient needs no noise at all.
            var factor = upper == 0 ? 0 : Math.Min(1, Math.BitIncrement(upper / clipNorm));
            clipped = new ClippedNorm(norm, factor);
            return 1;
        }
        clipped = new ClippedNorm(norm, 1);
        var scale = clipNorm / upper;
        var step = FirstShrinkStep;
        while (true)
        {
            var scaledUpper = L2Norm.UpperBound(L2Norm.SumOfSquares(gradient, scale), gradient.Length);
            if (scaledUpper <= clipNorm)
            {
                return scale;
            }
            scale *= Math.Min(1 - step, clipNorm / scaledUpper);
            step = Math.Min(0.5, 2 * step);
        }
    }

    private static double FiniteSumOfSquares(ReadOnlySpan<float> gradient, string parameter, int? example)
    {
        // Squares of finite floats cannot overflow a double, so the sum is finite exactly when every component is.
        var sumOfSquares = L2Norm.SumOfSquares(gradient);
        if (double.IsFinite(sumOfSquares))
        {
            return sumOfSquares;
        }
        var index = 0;
        while (float.IsFinite(gradient[index]))
        {
            index++;
        }
        var where = example is { } e ? $"example {e}, component {index}" : $"component {index}";
        throw new ArgumentException(
            $"The gradient holds {gradient[index]} at {where}; a non-finite gradient cannot be clipped.", parameter);
    }

    private static void ValidateClipNorm(double clipNorm)
    {
        if (!(clipNorm > 0 && double.IsFinite(clipNorm)))
        {
            throw new ArgumentOutOfRangeException(nameof(clipNorm), clipNorm, "The clipping norm must be positive and finite.");
        }
    }
}
