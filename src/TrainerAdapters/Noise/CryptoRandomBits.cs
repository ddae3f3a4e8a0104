using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Accounting.TrainerAdapters.Noise;

/// <summary>
/// Words from <see cref="RandomNumberGenerator"/>, read 4 KiB at a time so a draw costs an array read rather than a
/// call into the operating system's generator. Not thread-safe.
/// </summary>
internal sealed class CryptoRandomBits : IRandomBitSource
{
    private readonly ulong[] buffer = new ulong[512];
    private int next;

    public CryptoRandomBits() => next = buffer.Length;

    public ulong NextUInt64()
    {
        if (next == buffer.Length)
        {
            RandomNumberGenerator.Fill(MemoryMarshal.AsBytes(buffer.AsSpan()));
            next = 0;
        }
        return buffer[next++];
    }
}
