using Accounting.TrainerAdapters.Noise;

namespace Accounting.TrainerAdapters.Sampling;

/// <summary>
/// Poisson sampling: every unit joins the batch independently with probability q, the sampling the accountant's
/// <c>poissonSampled</c> event assumes (add/remove neighbours). Exact for the binary value of q, and by geometric
/// skipping it costs O(n·q·log₂(1/q)) random words rather than O(n). Not thread-safe.
/// </summary>
public sealed class PoissonSampler
{
    private readonly GeometricGaps gaps;

    /// <summary>A sampler with rate <paramref name="samplingRate"/> ∈ (0, 1] drawing from a new <see cref="SecureRandom"/>.</summary>
    public PoissonSampler(double samplingRate)
        : this(samplingRate, new SecureRandom())
    {
    }

    /// <summary>A sampler with rate <paramref name="samplingRate"/> ∈ (0, 1] drawing from <paramref name="random"/>.</summary>
    public PoissonSampler(double samplingRate, SecureRandom random)
    {
        if (!(samplingRate > 0 && samplingRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(samplingRate), samplingRate, "The sampling rate must lie in (0, 1].");
        }
        SamplingRate = samplingRate;
        gaps = new GeometricGaps(samplingRate, random);
    }

    /// <summary>The inclusion probability q.</summary>
    public double SamplingRate { get; }

    /// <summary>The batch as indices into 0 … <paramref name="populationSize"/> − 1, ascending.</summary>
    public List<long> SampleIndices(long populationSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(populationSize);
        var batch = new List<long>();
        // Geometric skipping: among i.i.d. Bernoulli(q) trials, the run of exclusions before the next inclusion is
        // Geometric(q) and independent of the past, so jumping over it draws the same batch as n coin flips.
        for (var index = gaps.NextGap(populationSize);
             index < populationSize;
             index += 1 + gaps.NextGap(populationSize - index - 1))
        {
            batch.Add(index);
        }
        return batch;
    }

    /// <summary>The batch as a subset of <paramref name="units"/>, in their order.</summary>
    public List<T> Sample<T>(IReadOnlyList<T> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        return SampleIndices(units.Count).ConvertAll(index => units[(int)index]);
    }
}
