namespace Accounting.TrainerAdapters.Noise;

/// <summary>
/// A stream of uniform 64-bit words. Production code only ever sees <see cref="CryptoRandomBits"/>; the seam exists so
/// tests can script the words that reach edge cases a cryptographic source hits with probability 2^-64.
/// </summary>
internal interface IRandomBitSource
{
    /// <summary>The next 64 uniform bits.</summary>
    ulong NextUInt64();
}
