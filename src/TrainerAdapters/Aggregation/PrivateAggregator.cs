using Accounting.Mechanisms.Calibration;
using Accounting.TrainerAdapters.Clipping;
using Accounting.TrainerAdapters.Noise;
using Accounting.TrainerAdapters.Sampling;

namespace Accounting.TrainerAdapters.Aggregation;

/// <summary>
/// One private round of DP-SGD, DP-FedAvg or DP meta-learning (Abadi et al. 2016, Algorithm 1; McMahan et al. 2018,
/// "Learning differentially private recurrent language models", Algorithm 1): sample units as the task's plan says,
/// charge the step, drop excluded units, clip each remaining unit's contribution to C, sum, add Gaussian noise of the
/// standard deviation the service answered, and divide by the expected number of contributors. Not thread-safe.
/// </summary>
public sealed class PrivateAggregator
{
    private readonly ChargedTask task;
    private readonly SecureRandom random;
    private readonly GaussianNoise noise;
    private readonly PoissonSampler? poisson;
    private readonly FixedSizeSampler? fixedSize;

    /// <summary>An aggregator of <paramref name="dimension"/>-long contributions over an opened task.</summary>
    public PrivateAggregator(ChargedTask task, int dimension, SecureRandom? random = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        this.task = task;
        Dimension = dimension;
        this.random = random ?? new SecureRandom();
        noise = new GaussianNoise(this.random);
        var plan = task.Task.Plan;
        switch (plan.Sampling)
        {
            case SamplingScheme.Poisson:
                poisson = new PoissonSampler(plan.EffectiveSamplingRate, this.random);
                break;
            case SamplingScheme.WithoutReplacement:
                // m of the task's units: the service holds the plan's n to the cohort's size, and OpenAsync the units to it.
                fixedSize = new FixedSizeSampler(this.random);
                break;
        }
    }

    /// <summary>The task being trained.</summary>
    public ChargedTask Task => task;

    /// <summary>The length of every contribution and of the result.</summary>
    public int Dimension { get; }

    /// <summary>
    /// Runs the next round: on a charge, <paramref name="noisyMean"/> receives (Σ clip(contribution) + N(0, s²I)) / m,
    /// with s the service's noise standard deviation and m the expected number of contributors; on a refusal it is
    /// left alone.
    /// </summary>
    public async Task<RoundOutcome> RunAsync(Contribution contribute, double[] noisyMean, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contribute);
        ArgumentNullException.ThrowIfNull(noisyMean);
        if (noisyMean.Length != Dimension)
        {
            throw new ArgumentException($"The result must have the aggregator's dimension {Dimension}.", nameof(noisyMean));
        }
        var sampled = Sample();
        var (charge, refusal) = await task.ChargeNextAsync(cancellationToken).ConfigureAwait(false);
        if (charge is null)
        {
            return refusal!;
        }
        var contributors = sampled.Where(i => !task.IsExcluded(i)).ToArray();
        var contributions = new float[contributors.Length * Dimension];
        for (var k = 0; k < contributors.Length; k++)
        {
            contribute(contributors[k], contributions.AsSpan(k * Dimension, Dimension));
        }
        Array.Clear(noisyMean);
        PerExampleClipping.ClipAndSum(
            contributions, Dimension, charge.ClipNorm, noisyMean, new double[contributors.Length], new double[contributors.Length]);
        noise.AddNoise(noisyMean, charge.NoiseStandardDeviation
            ?? throw new InvalidOperationException($"Step {charge.Step} of task '{charge.TaskId}' has no Gaussian noise to add."));
        var expected = ExpectedContributors();
        for (var i = 0; i < noisyMean.Length; i++)
        {
            noisyMean[i] /= expected;
        }
        return new RoundCharged(charge.Step, sampled.Count, contributors, charge);
    }

    // Sampled over every listed unit, excluded or not, so that a step samples exactly as the plan the service accounts.
    private List<int> Sample()
    {
        var count = task.Units.Count;
        return task.Task.Plan.Sampling switch
        {
            SamplingScheme.Poisson => poisson!.SampleIndices(count).ConvertAll(i => (int)i),
            SamplingScheme.WithoutReplacement => [.. fixedSize!.SampleIndices(count, (int)task.Task.Plan.BatchSize).Select(i => (int)i).Order()],
            _ => [.. Enumerable.Range(0, count)],
        };
    }

    // A fixed, public denominator: dividing by the drawn batch's size would release it (Abadi et al. 2016 divide by
    // the lot size L = qN). Units already excluded are public (the service answered them), so they are left out of N.
    private double ExpectedContributors()
    {
        var plan = task.Task.Plan;
        var expected = plan.Sampling switch
        {
            SamplingScheme.Poisson => plan.EffectiveSamplingRate * task.Participating,
            SamplingScheme.WithoutReplacement => plan.BatchSize,
            _ => task.Participating,
        };
        return Math.Max(expected, 1);
    }
}
