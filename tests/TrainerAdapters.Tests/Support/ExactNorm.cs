using System.Numerics;

namespace Accounting.TrainerAdapters.Tests.Support;

/// <summary>
/// Exact comparisons of Euclidean norms of float vectors in integer arithmetic: a float is m·2^e with e ≥ −149, so
/// Σ v_i²·2^298 is an integer and no rounding enters.
/// </summary>
internal static class ExactNorm
{
    private const int Scale = 298;

    /// <summary>Σ v_i² · 2^298, exactly; squares are summed per exponent in 128-bit integers first, which is fast.</summary>
    public static BigInteger ScaledSumOfSquares(ReadOnlySpan<float> vector)
    {
        // A float square is m²·2^(2e) with m² < 2^48 and 2e + 298 ∈ [0, 552]; 2^31 such terms fit a UInt128 per exponent.
        Span<UInt128> byExponent = stackalloc UInt128[277];
        foreach (var value in vector)
        {
            var (mantissa, exponent) = Decompose(value);
            byExponent[exponent + 149] += (UInt128)(mantissa * mantissa);
        }
        var sum = BigInteger.Zero;
        for (var i = 0; i < byExponent.Length; i++)
        {
            sum += (BigInteger)byExponent[i] << (2 * i);
        }
        return sum;
    }

    /// <summary>Whether ‖v‖ ≤ c holds exactly.</summary>
    public static bool NormAtMost(ReadOnlySpan<float> vector, double c) => SquareAtLeast(c, 1, ScaledSumOfSquares(vector));

    /// <summary>Whether (a·b)² ≥ S·2^-298 holds exactly, for doubles a, b ≥ 0.</summary>
    public static bool SquareAtLeast(double a, double b, BigInteger scaledSumOfSquares)
    {
        var (ma, ea) = Decompose(a);
        var (mb, eb) = Decompose(b);
        var square = (BigInteger)ma * mb * ma * mb;
        var shift = (2 * (ea + eb)) + Scale;
        return shift >= 0 ? square << shift >= scaledSumOfSquares : square >= scaledSumOfSquares << -shift;
    }

    private static (ulong Mantissa, int Exponent) Decompose(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(Math.Abs(value));
        var biased = (int)(bits >> 23);
        var fraction = bits & 0x7FFFFFu;
        return biased == 0 ? (fraction, -149) : (fraction | 0x800000u, biased - 150);
    }

    private static (ulong Mantissa, int Exponent) Decompose(double value)
    {
        var bits = BitConverter.DoubleToUInt64Bits(value);
        var biased = (int)(bits >> 52);
        var fraction = bits & ((1UL << 52) - 1);
        return biased == 0 ? (fraction, -1074) : (fraction | (1UL << 52), biased - 1075);
    }
}
