using System.Buffers.Binary;
using System.Numerics;

namespace Accounting.TrainerAdapters.Noise;

/// <summary>
/// Uniform integers, uniform doubles and exact Bernoulli draws from
/// <see cref="System.Security.Cryptography.RandomNumberGenerator"/> (never <see cref="Random"/>), read in 4 KiB blocks.
/// Not thread-safe: use one instance per thread.
/// </summary>
public sealed class SecureRandom
{
    private const double TwoToMinus53 = 1.0 / (1L << 53);

    private readonly IRandomBitSource source;
    private ulong bitPool;
    private int bitsInPool;

    /// <summary>A generator backed by the operating system's cryptographic random number generator.</summary>
    public SecureRandom()
        : this(new CryptoRandomBits())
    {
    }

    internal SecureRandom(IRandomBitSource source) => this.source = source;

    /// <summary>64 uniform bits.</summary>
    public ulong NextUInt64() => source.NextUInt64();

    /// <summary>Uniform on {0, …, <paramref name="maxExclusive"/> − 1}, without modulo bias.</summary>
    public ulong NextUInt64(ulong maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfZero(maxExclusive);
        // Lemire 2019, "Fast Random Integer Generation in an Interval", Algorithm 5: the high word of x·s is uniform
        // once the 2^64 mod s low words that would bias it are rejected; the division runs only when low < s.
        var high = Math.BigMul(source.NextUInt64(), maxExclusive, out var low);
        if (low < maxExclusive)
        {
            var threshold = (0 - maxExclusive) % maxExclusive;
            while (low < threshold)
            {
                high = Math.BigMul(source.NextUInt64(), maxExclusive, out low);
            }
        }
        return high;
    }

    /// <summary>Uniform on {<paramref name="minInclusive"/>, …, <paramref name="maxExclusive"/> − 1}.</summary>
    public long NextInt64(long minInclusive, long maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(minInclusive, maxExclusive);
        // The width fits a ulong even when it overflows a long.
        return unchecked(minInclusive + (long)NextUInt64((ulong)(maxExclusive - minInclusive)));
    }

    /// <summary>Uniform on the 2^53 multiples of 2^-53 in [0, 1).</summary>
    public double NextDouble() => (source.NextUInt64() >> 11) * TwoToMinus53;

    /// <summary>Uniform on the multiples of 2^-53 in (0, 1): safe to take the logarithm of.</summary>
    public double NextOpenDouble()
    {
        ulong k;
        do
        {
            k = source.NextUInt64() >> 11;
        }
        while (k == 0);
        return k * TwoToMinus53;
    }

    /// <summary>A fair coin; one random word serves 64 calls.</summary>
    public bool NextBoolean()
    {
        if (bitsInPool == 0)
        {
            bitPool = source.NextUInt64();
            bitsInPool = 64;
        }
        var bit = (bitPool & 1) != 0;
        bitPool >>= 1;
        bitsInPool--;
        return bit;
    }

    /// <summary>
    /// Exactly Bernoulli(<paramref name="probability"/>) for the exact binary value of the double: a uniform U in
    /// [0, 1) is compared with p 64 bits at a time, so almost every draw costs one word and no rounding enters.
    /// </summary>
    public bool NextBernoulli(double probability)
    {
        if (!(probability >= 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "A probability must lie in [0, 1].");
        }
        if (probability is 0 or 1)
        {
            return probability == 1;
        }
        // p = mantissa·2^-shift exactly, with shift ≥ 53 since p < 1.
        var (mantissa, exponent) = DoubleBits.Decompose(probability);
        var shift = -exponent;
        for (var consumed = 64; ; consumed += 64)
        {
            // Bits consumed − 63 … consumed of p's binary expansion: ⌊p·2^consumed⌋ mod 2^64.
            var word = BitWindow(mantissa, consumed - shift);
            var u = source.NextUInt64();
            if (u != word)
            {
                return u < word;
            }
            if (consumed >= shift)
            {
                return false; // p's expansion has ended, so U ≥ p.
            }
        }
    }

    /// <summary>Exactly Bernoulli(<paramref name="numerator"/> / <paramref name="denominator"/>).</summary>
    public bool NextBernoulli(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.Sign <= 0 || numerator.Sign < 0 || numerator > denominator)
        {
            throw new ArgumentOutOfRangeException(nameof(numerator), $"{numerator}/{denominator} is not a probability.");
        }
        if (numerator.IsZero || numerator == denominator)
        {
            return !numerator.IsZero;
        }
        return denominator <= ulong.MaxValue
            ? NextUInt64((ulong)denominator) < (ulong)numerator
            : NextBigInteger(denominator) < numerator;
    }

    /// <summary><paramref name="count"/> uniform bits as a non-negative integer.</summary>
    internal BigInteger NextBits(int count)
    {
        var words = (count + 63) / 64;
        var bytes = new byte[words * 8];
        for (var i = 0; i < words; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), source.NextUInt64());
        }
        return new BigInteger(bytes, isUnsigned: true) >> ((words * 64) - count);
    }

    private BigInteger NextBigInteger(BigInteger maxExclusive)
    {
        // Rejection from the smallest power of two above the bound: fewer than two rounds on average.
        var bits = (int)maxExclusive.GetBitLength();
        BigInteger candidate;
        do
        {
            candidate = NextBits(bits);
        }
        while (candidate >= maxExclusive);
        return candidate;
    }

    private static ulong BitWindow(ulong mantissa, int leftShift) => leftShift switch
    {
        >= 64 or <= -64 => 0,
        >= 0 => mantissa << leftShift,
        _ => mantissa >> -leftShift,
    };
}
