using Accounting.TrainerAdapters.Aggregation;

namespace Accounting.TrainerAdapters.FedAvg;

/// <summary>
/// DP-FedAvg with user-level privacy (McMahan et al. 2018, "Learning differentially private recurrent language
/// models", Algorithm 1): each round samples clients, charges the round with the client as the privacy unit, drops
/// excluded clients, clips each client's change of the shared model to C, adds N(0, σ²C²), divides by the expected
/// number of clients and moves the shared model by the server learning rate.
/// </summary>
/// <remarks>
/// Personalisation follows the billboard model (Aliakbarpour, Bairaktari, Smith, Swanberg, Ullman 2024, "Privacy in
/// metalearning and multitask learning: modeling and separations", arXiv 2412.12374, the taxonomy's billboard
/// setting): the shared part is the billboard, released under DP and charged; each client's personal part is
/// computed from its own data and the billboard, never leaves the client, and needs no charge because nobody else
/// sees it.
/// </remarks>
public sealed class DpFedAvgTrainer(PrivateAggregator aggregator, IReadOnlyList<IFederatedClient> clients, double serverLearningRate)
{
    private readonly double[] noisyDelta = new double[aggregator.Dimension];

    /// <summary>Runs one round on the shared parameters in place (unchanged when refused).</summary>
    public async Task<RoundOutcome> RoundAsync(float[] shared, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shared);
        var outcome = await aggregator.RunAsync(
            (client, destination) => clients[client].TrainLocally(shared, destination), noisyDelta, cancellationToken).ConfigureAwait(false);
        if (outcome is RoundCharged)
        {
            for (var i = 0; i < shared.Length; i++)
            {
                shared[i] = (float)(shared[i] + (serverLearningRate * noisyDelta[i]));
            }
        }
        return outcome;
    }
}
