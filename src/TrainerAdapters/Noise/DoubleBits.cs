namespace Accounting.TrainerAdapters.Noise;

/// <summary>The exact binary value of a double, for samplers that must not round.</summary>
internal static class DoubleBits
{
    /// <summary>
    /// (m, e) with <paramref name="value"/> = m·2^e exactly and m &lt; 2^53 (IEEE 754 binary64: the implicit leading
    /// bit of a normal number, the fixed exponent −1074 of a subnormal). <paramref name="value"/> must be finite and ≥ 0.
    /// </summary>
    public static (ulong Mantissa, int Exponent) Decompose(double value)
    {
        var raw = BitConverter.DoubleToUInt64Bits(value);
        var biasedExponent = (int)(raw >> 52);
        var fraction = raw & ((1UL << 52) - 1);
        return biasedExponent == 0 ? (fraction, -1074) : (fraction | (1UL << 52), biasedExponent - 1075);
    }
}
