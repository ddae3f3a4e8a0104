using Accounting.TrainerAdapters.Aggregation;

namespace Accounting.TrainerAdapters.DpSgd;

/// <summary>
/// DP-SGD (Abadi et al. 2016, "Deep Learning with Differential Privacy", Algorithm 1) with the example as the
/// privacy unit: each step samples a lot, charges the step, drops excluded examples, clips the per-example gradients
/// to C, adds N(0, σ²C²), divides by the expected lot size and takes a gradient step.
/// </summary>
public sealed class DpSgdTrainer(PrivateAggregator aggregator, PerExampleGradient gradient, double learningRate)
{
    private readonly double[] noisyGradient = new double[aggregator.Dimension];

    /// <summary>Takes one private step on <paramref name="parameters"/> in place (unchanged when refused).</summary>
    public async Task<RoundOutcome> StepAsync(float[] parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var outcome = await aggregator.RunAsync(
            (example, destination) => gradient(example, parameters, destination), noisyGradient, cancellationToken).ConfigureAwait(false);
        if (outcome is RoundCharged)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i] = (float)(parameters[i] - (learningRate * noisyGradient[i]));
            }
        }
        return outcome;
    }
}
