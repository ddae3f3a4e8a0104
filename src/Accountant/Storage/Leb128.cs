using System.Buffers;
using System.Numerics;

namespace Accounting.Accountant.Storage;

/// <summary>
/// Non-negative ints in unsigned LEB128 (DWARF 5, §7.6): seven bits a byte, lowest first, the high bit set on all but
/// the last; the stores' compact blobs count and measure with it.
/// </summary>
internal static class Leb128
{
    /// <summary>The most bytes an int takes.</summary>
    public const int MaxLength = 5;

    /// <summary>The bytes <paramref name="value"/> takes.</summary>
    public static int Length(int value) => (BitOperations.Log2((uint)value | 1) / 7) + 1;

    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="to"/>; returns the bytes written.</summary>
    public static int Put(Span<byte> to, int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        var at = 0;
        var rest = (uint)value;
        for (; rest >= 0x80; rest >>= 7)
        {
            to[at++] = (byte)(rest | 0x80);
        }
        to[at++] = (byte)rest;
        return at;
    }

    /// <summary>Writes <paramref name="value"/> to <paramref name="to"/>.</summary>
    public static void Put(IBufferWriter<byte> to, int value) => to.Advance(Put(to.GetSpan(MaxLength), value));

    /// <summary>
    /// Reads the number at <paramref name="at"/> and moves past it; <paramref name="what"/> names the blob in the
    /// InvalidDataException thrown when it ends early or the number is over int's range.
    /// </summary>
    public static int Read(ReadOnlySpan<byte> blob, ref int at, string what)
    {
        var value = 0L;
        for (var shift = 0; shift < 7 * MaxLength; shift += 7)
        {
            if (at >= blob.Length)
            {
                break;
            }
            var b = blob[at++];
            value |= (long)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value <= int.MaxValue ? (int)value : throw new InvalidDataException($"{what} has a number out of range");
            }
        }
        throw new InvalidDataException($"{what} ends early");
    }
}
