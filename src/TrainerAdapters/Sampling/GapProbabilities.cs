using System.Numerics;
using Accounting.TrainerAdapters.Noise;

namespace Accounting.TrainerAdapters.Sampling;

/// <summary>
/// Fixed-point brackets of the probabilities <see cref="GeometricGaps"/> draws for Geometric(q), x = 1 − q:
/// index i &lt; k holds P(bit i of the remainder is 1) = x^(2^i) / (1 + x^(2^i)); index k holds x^(2^k), the
/// probability that a whole block of 2^k indices is empty.
/// </summary>
internal static class GapProbabilities
{
    /// <summary>Integers with Lower[i] ≤ p_i·2^precision ≤ Upper[i] and Upper[i] − Lower[i] ≤ 3.</summary>
    public static (BigInteger[] Lower, BigInteger[] Upper) Bounds(double q, int k, int precision)
    {
        // Each squaring at most doubles a bracket's width (w' ≤ 2w + 2 in units of 2^-working, from the floor and the
        // ceiling), so after k squarings it is below 2^(k+2) units; k + 8 guard bits bring that under 2^-(precision+6).
        var working = precision + k + 8;
        var one = BigInteger.One << working;
        var drop = working - precision;

        // q·2^working = m·2^(working + e), bracketed by its floor and ceiling when not an integer.
        var (mantissa, exponent) = DoubleBits.Decompose(q);
        var shift = working + exponent;
        var qLower = shift >= 0 ? (BigInteger)mantissa << shift : (BigInteger)mantissa >> -shift;
        var qUpper = shift >= 0 || qLower << -shift == mantissa ? qLower : qLower + 1;
        BigInteger yLower = one - qUpper, yUpper = one - qLower;

        var lower = new BigInteger[k + 1];
        var upper = new BigInteger[k + 1];
        for (var i = 0; i < k; i++)
        {
            // y ↦ y/(1 + y) is increasing, so the bracket of y maps to a bracket of the bit's probability.
            lower[i] = (yLower * one / (one + yLower)) >> drop;
            upper[i] = CeilingShift(CeilingDivide(yUpper * one, one + yUpper), drop);
            yLower = (yLower * yLower) >> working;
            yUpper = CeilingShift(yUpper * yUpper, working);
        }
        lower[k] = yLower >> drop;
        upper[k] = CeilingShift(yUpper, drop);
        return (lower, upper);
    }

    private static BigInteger CeilingDivide(BigInteger numerator, BigInteger denominator) =>
        (numerator + denominator - 1) / denominator;

    private static BigInteger CeilingShift(BigInteger value, int bits) =>
        (value + (BigInteger.One << bits) - 1) >> bits;
}
