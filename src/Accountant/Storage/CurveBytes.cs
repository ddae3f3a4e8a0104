using System.Runtime.InteropServices;

namespace Accounting.Accountant.Storage;

/// <summary>Curves are stored as their IEEE-754 doubles, little-endian (the byte order of every supported host).</summary>
public static class CurveBytes
{
    /// <summary>The bytes of a curve.</summary>
    public static byte[] From(ReadOnlySpan<double> values) => MemoryMarshal.AsBytes(values).ToArray();

    /// <summary>The curve in stored bytes.</summary>
    public static double[] To(byte[] bytes) => MemoryMarshal.Cast<byte, double>(bytes).ToArray();
}
