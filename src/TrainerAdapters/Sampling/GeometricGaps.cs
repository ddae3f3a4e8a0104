using System.Numerics;
using Accounting.TrainerAdapters.Noise;

namespace Accounting.TrainerAdapters.Sampling;

/// <summary>
/// Exact Geometric(q) variates (failures before the first success of i.i.d. Bernoulli(q) trials) for the exact binary
/// value of q, without logarithms, so that Poisson sampling by skipping is exactly Poisson sampling. Not thread-safe.
/// </summary>
/// <remarks>
/// After Bringmann, Friedrich 2013, "Exact and Efficient Generation of Geometric Random Variates and Random Graphs"
/// (ICALP): with x = 1 − q and blocks of L = 2^k indices, P(G = L·j + r) = (x^L)^j (1 − x^L) · x^r q / (1 − x^L), so
/// G = L·Q + R with Q ~ Geometric(1 − x^L) (count empty blocks) independent of R on [0, L) with P(R = r) ∝ x^r; and
/// x^r = Π_i (x^(2^i))^(bit i of r), so R's bits are independent with P(bit i = 1) = x^(2^i) / (1 + x^(2^i)). Each
/// Bernoulli compares a uniform with a 128-bit bracket of its probability and refines the bracket in the rare case
/// (below 2^-126 per draw) that the uniform falls inside it.
/// </remarks>
internal sealed class GeometricGaps
{
    private const int FastPrecision = 128;

    private readonly SecureRandom random;
    private readonly double q;
    private readonly int log2Block;
    private readonly UInt128[] lower;
    private readonly UInt128[] upper;

    public GeometricGaps(double q, SecureRandom random)
    {
        this.q = q;
        this.random = random;
        // 2^k·q ∈ [1/2, 1): a block is empty with probability at most e^(−1/2), and R needs k bits.
        log2Block = Math.Max(0, -Math.ILogB(q) - 1);
        var (lowerBounds, upperBounds) = GapProbabilities.Bounds(q, log2Block, FastPrecision);
        lower = Array.ConvertAll(lowerBounds, b => (UInt128)b);
        upper = Array.ConvertAll(upperBounds, b => (UInt128)b);
    }

    /// <summary>min(G, <paramref name="cap"/>) for G ~ Geometric(q); stops drawing once G ≥ cap is settled.</summary>
    public long NextGap(long cap)
    {
        long gap = 0;
        while (Draw(log2Block))
        {
            if (log2Block >= 63 || cap - gap <= 1L << log2Block)
            {
                return cap;
            }
            gap += 1L << log2Block;
        }
        for (var bit = log2Block - 1; bit >= 0; bit--)
        {
            if (!Draw(bit))
            {
                continue;
            }
            if (bit >= 63 || cap - gap <= 1L << bit)
            {
                return cap;
            }
            gap += 1L << bit;
        }
        return gap;
    }

    /// <summary>Bernoulli(p_index) for the probabilities of <see cref="GapProbabilities"/>.</summary>
    internal bool Draw(int index)
    {
        // U < p when U's leading bits already lie below the bracket, U ≥ p when they lie above it.
        var (low, high) = (lower[index], upper[index]);
        var first = random.NextUInt64();
        if (first < (ulong)(low >> 64))
        {
            return true;
        }
        if (first > (ulong)(high >> 64))
        {
            return false;
        }
        var prefix = new UInt128(first, random.NextUInt64());
        if (prefix < low)
        {
            return true;
        }
        return prefix < high && Refine(index, prefix);
    }

    private bool Refine(int index, UInt128 prefix)
    {
        // Double the precision of both U and the bracket until they separate; each round leaves them entangled with
        // probability below 3·2^-precision.
        var u = (BigInteger)prefix;
        for (var precision = 2 * FastPrecision; ; precision *= 2)
        {
            u = (u << (precision / 2)) | random.NextBits(precision / 2);
            var (lowerBounds, upperBounds) = GapProbabilities.Bounds(q, log2Block, precision);
            if (u < lowerBounds[index])
            {
                return true;
            }
            if (u >= upperBounds[index])
            {
                return false;
            }
        }
    }
}
