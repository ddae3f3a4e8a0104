using System.Text.Json.Serialization;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Validation;

namespace Accounting.Mechanisms.Calibration;

/// <summary>
/// The public shape of a training run with its noise multiplier left free: how many steps, and how each step samples.
/// Poisson sampling takes <see cref="SamplingRate"/>, or the expected batch over the dataset size when the rate is 0;
/// sampling without replacement takes the batch and dataset sizes.
/// </summary>
/// <param name="Steps">Private updates in the run.</param>
/// <param name="Sampling">How each step samples.</param>
/// <param name="SamplingRate">Poisson inclusion probability q ∈ (0, 1].</param>
/// <param name="DatasetSize">Records (or clients) sampled from.</param>
/// <param name="BatchSize">Records per step (expected, for Poisson).</param>
public sealed record TrainingPlan(
    long Steps,
    SamplingScheme Sampling = SamplingScheme.Poisson,
    double SamplingRate = 0,
    long DatasetSize = 0,
    long BatchSize = 0)
{
    /// <summary>The Poisson rate in effect: the given rate, or batch over dataset size.</summary>
    [JsonIgnore]
    public double EffectiveSamplingRate =>
        SamplingRate > 0 || DatasetSize <= 0 ? SamplingRate : (double)BatchSize / DatasetSize;

    /// <summary>The neighbouring relation the sampling is accounted under (none works with either; add/remove is reported).</summary>
    [JsonIgnore]
    public NeighbouringRelation NaturalRelation =>
        Sampling == SamplingScheme.WithoutReplacement ? NeighbouringRelation.ReplaceOne : NeighbouringRelation.AddOrRemoveOne;

    /// <summary>Every invalid field, named below <paramref name="path"/>.</summary>
    public IReadOnlyList<ParameterError> Validate(string path = "plan")
    {
        var errors = new List<ParameterError>();
        if (Steps < 1)
        {
            errors.Add(new($"{path}.steps", "must be at least 1"));
        }
        switch (Sampling)
        {
            case SamplingScheme.Poisson when SamplingRate != 0 || DatasetSize == 0:
                if (!(SamplingRate > 0 && SamplingRate <= 1))
                {
                    errors.Add(new($"{path}.samplingRate", "must be a number in (0, 1]"));
                }
                break;
            case SamplingScheme.Poisson or SamplingScheme.WithoutReplacement:
                if (DatasetSize < 1)
                {
                    errors.Add(new($"{path}.datasetSize", "must be at least 1"));
                }
                if (BatchSize < 1 || BatchSize > DatasetSize)
                {
                    errors.Add(new($"{path}.batchSize", "must be between 1 and datasetSize"));
                }
                break;
            case SamplingScheme.None:
                break;
            default:
                errors.Add(new($"{path}.sampling", "must be poisson, withoutReplacement or none"));
                break;
        }
        return errors;
    }

    /// <summary>One step's event at noise multiplier σ.</summary>
    public PrivacyEvent StepEvent(double noiseMultiplier)
    {
        var gaussian = new GaussianEvent(noiseMultiplier);
        return Sampling switch
        {
            SamplingScheme.Poisson => new PoissonSampledEvent(EffectiveSamplingRate, gaussian),
            SamplingScheme.WithoutReplacement => new SampledWithoutReplacementEvent(DatasetSize, BatchSize, gaussian),
            _ => gaussian,
        };
    }

    /// <summary>The whole run's event at noise multiplier σ: the step composed <see cref="Steps"/> times.</summary>
    public PrivacyEvent RunEvent(double noiseMultiplier) => RunEvent(noiseMultiplier, Steps);

    /// <summary>The event of <paramref name="steps"/> steps at noise multiplier σ.</summary>
    public PrivacyEvent RunEvent(double noiseMultiplier, long steps) => new SelfComposedEvent(steps, StepEvent(noiseMultiplier));
}
