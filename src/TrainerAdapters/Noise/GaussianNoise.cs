namespace Accounting.TrainerAdapters.Noise;

/// <summary>
/// Gaussian noise N(0, s²) for DP-SGD and DP-FedAvg updates, from <see cref="SecureRandom"/>. Not thread-safe.
/// </summary>
/// <remarks>
/// Floating-point Gaussian samples are not an exact DP sampler. Mironov 2012 ("On significance of the least significant
/// bits for differential privacy", CCS) shows that the set of doubles a textbook sampler can return shifts with the
/// value it is added to, so the low-order bits of a noisy output can reveal the input; the outputs are also granular
/// and the tail is cut at √(2·53·ln 2) ≈ 8.57 standard deviations (the smallest uniform is 2^-53). The accounting treats
/// the noise as ideal. For integer-valued aggregation (quantised gradients, secure aggregation, counts) use
/// <see cref="DiscreteGaussian"/>, which is exact.
/// </remarks>
public sealed class GaussianNoise(SecureRandom random)
{
    private double spare;
    private bool hasSpare;

    /// <summary>Noise from a new <see cref="SecureRandom"/>.</summary>
    public GaussianNoise()
        : this(new SecureRandom())
    {
    }

    /// <summary>One draw from N(0, 1).</summary>
    public double NextStandard()
    {
        if (hasSpare)
        {
            hasSpare = false;
            return spare;
        }
        (var first, spare) = NextPair();
        hasSpare = true;
        return first;
    }

    /// <summary>One draw from N(0, <paramref name="standardDeviation"/>²).</summary>
    public double Sample(double standardDeviation)
    {
        Validate(standardDeviation);
        return standardDeviation * NextStandard();
    }

    /// <summary>Adds i.i.d. N(0, <paramref name="standardDeviation"/>²) noise to every value, in place.</summary>
    public void AddNoise(Span<float> values, double standardDeviation)
    {
        Validate(standardDeviation);
        var i = 0;
        for (; i + 1 < values.Length; i += 2)
        {
            var (a, b) = NextPair();
            values[i] = (float)(values[i] + (standardDeviation * a));
            values[i + 1] = (float)(values[i + 1] + (standardDeviation * b));
        }
        if (i < values.Length)
        {
            values[i] = (float)(values[i] + (standardDeviation * NextStandard()));
        }
    }

    /// <summary>Adds i.i.d. N(0, <paramref name="standardDeviation"/>²) noise to every value, in place.</summary>
    public void AddNoise(Span<double> values, double standardDeviation)
    {
        Validate(standardDeviation);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] += standardDeviation * NextStandard();
        }
    }

    private (double First, double Second) NextPair()
    {
        // Box & Muller 1958, "A Note on the Generation of Random Normal Deviates": √(−2 ln u₁)·(cos 2πu₂, sin 2πu₂)
        // are two independent N(0, 1) draws.
        var radius = Math.Sqrt(-2 * Math.Log(random.NextOpenDouble()));
        var (sin, cos) = Math.SinCos(2 * Math.PI * random.NextDouble());
        return (radius * cos, radius * sin);
    }

    private static void Validate(double standardDeviation)
    {
        if (!(standardDeviation > 0 && double.IsFinite(standardDeviation)))
        {
            throw new ArgumentOutOfRangeException(
                nameof(standardDeviation), standardDeviation, "The standard deviation must be positive and finite.");
        }
    }
}
