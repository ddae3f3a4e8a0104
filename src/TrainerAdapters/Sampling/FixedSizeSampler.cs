using Accounting.TrainerAdapters.Noise;

namespace Accounting.TrainerAdapters.Sampling;

/// <summary>
/// Uniform sampling without replacement of exactly m of n units, the sampling the accountant's
/// <c>sampledWithoutReplacement</c> event assumes (replace-one neighbours). O(m) time and memory. Not thread-safe.
/// </summary>
public sealed class FixedSizeSampler(SecureRandom random)
{
    /// <summary>A sampler drawing from a new <see cref="SecureRandom"/>.</summary>
    public FixedSizeSampler()
        : this(new SecureRandom())
    {
    }

    /// <summary>
    /// A uniformly random <paramref name="sampleSize"/>-subset of 0 … <paramref name="populationSize"/> − 1, ascending
    /// (the subset is uniform; an order would carry no further randomness).
    /// </summary>
    public long[] SampleIndices(long populationSize, int sampleSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sampleSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(populationSize, sampleSize);
        // Bentley, Floyd 1987, "Programming Pearls: A Sample of Brilliance" (CACM 30(9)), algorithm F2: for
        // j = n − m … n − 1 add a uniform t ∈ [0, j], or j itself if t was already chosen; every m-subset is equally
        // likely.
        var chosen = new HashSet<long>(sampleSize);
        for (var j = populationSize - sampleSize; j < populationSize; j++)
        {
            var t = random.NextInt64(0, j + 1);
            if (!chosen.Add(t))
            {
                chosen.Add(j);
            }
        }
        var sample = chosen.ToArray();
        Array.Sort(sample);
        return sample;
    }

    /// <summary>A uniformly random <paramref name="sampleSize"/>-subset of <paramref name="units"/>, in their order.</summary>
    public List<T> Sample<T>(IReadOnlyList<T> units, int sampleSize)
    {
        ArgumentNullException.ThrowIfNull(units);
        return Array.ConvertAll(SampleIndices(units.Count, sampleSize), index => units[(int)index]).ToList();
    }
}
