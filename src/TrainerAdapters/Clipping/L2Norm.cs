namespace Accounting.TrainerAdapters.Clipping;

/// <summary>Euclidean norms of float vectors, computed in double, with a certified upper bound.</summary>
internal static class L2Norm
{
    /// <summary>
    /// Σ v_i² in double. Every square is exact (a float's 24-bit significand squares into 48 bits and its exponent
    /// range squared stays normal in double), so only the additions round; no float vector can overflow the sum.
    /// </summary>
    public static double SumOfSquares(ReadOnlySpan<float> vector, double scale = 1)
    {
        // Four partial sums keep the additions independent; the error bound below holds for any summation order.
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var i = 0;
        for (; i + 3 < vector.Length; i += 4)
        {
            s0 += Square(vector[i], scale);
            s1 += Square(vector[i + 1], scale);
            s2 += Square(vector[i + 2], scale);
            s3 += Square(vector[i + 3], scale);
        }
        for (; i < vector.Length; i++)
        {
            s0 += Square(vector[i], scale);
        }
        return (s0 + s1) + (s2 + s3);
    }

    /// <summary>The float the clipped vector holds: v_i·scale rounded to float. Scale 1 leaves v_i unchanged.</summary>
    public static float Scaled(float value, double scale) => (float)(value * scale);

    /// <summary>
    /// A double that is never below the exact norm of a vector of <paramref name="length"/> floats whose computed
    /// <see cref="SumOfSquares"/> is <paramref name="sumOfSquares"/>.
    /// </summary>
    public static double UpperBound(double sumOfSquares, int length)
    {
        if (sumOfSquares == 0)
        {
            return 0; // The squares are exact, so a zero sum means a zero vector.
        }
        // Higham 2002, "Accuracy and Stability of Numerical Algorithms", §4.2: n non-negative terms summed in any order
        // give Ŝ ≥ S(1 − γ_{n−1}), γ_k = ku/(1 − ku), u = 2^-53; so S ≤ Ŝ(1 + 1.03(n − 1)u) while nu ≤ 0.01. The factor
        // 1 + 2(n + 8)u covers that, its own rounding and the product's; each BitIncrement turns a round-to-nearest
        // result into one at or above the exact value.
        var factor = 1 + ((length + 8.0) * Math.ScaleB(1, -52));
        return Math.BitIncrement(Math.Sqrt(Math.BitIncrement(sumOfSquares * factor)));
    }

    private static double Square(float value, double scale)
    {
        double scaled = Scaled(value, scale);
        return scaled * scaled;
    }
}
