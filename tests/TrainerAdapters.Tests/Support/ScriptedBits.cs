using Accounting.TrainerAdapters.Noise;

namespace Accounting.TrainerAdapters.Tests.Support;

/// <summary>A bit source that replays fixed words, to reach edge cases a cryptographic source hits with probability 2^-64.</summary>
internal sealed class ScriptedBits(params ulong[] words) : IRandomBitSource
{
    public int Consumed { get; private set; }

    public ulong NextUInt64() =>
        Consumed < words.Length ? words[Consumed++] : throw new InvalidOperationException("The script ran out of words.");

    public static SecureRandom Random(params ulong[] words) => new(new ScriptedBits(words));
}
