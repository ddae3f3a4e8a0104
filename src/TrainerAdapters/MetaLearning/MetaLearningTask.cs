using Accounting.TrainerAdapters.DpSgd;
using Accounting.TrainerAdapters.FedAvg;

namespace Accounting.TrainerAdapters.MetaLearning;

/// <summary>
/// One task of private meta-learning, with the task's whole dataset as the privacy unit (Li, Khodak, Caldas,
/// Talwalkar 2020, "Differentially private meta-learning", §3: task-global DP). From the meta-parameters θ it adapts
/// φ by a few gradient steps on its support examples and proposes a meta-gradient direction; run it under
/// <see cref="DpFedAvgTrainer"/>, which clips each task's proposal to C and adds the noise (their DP-Reptile is DP-FedAvg
/// with this local update; the server learning rate is the meta step size).
/// </summary>
/// <param name="gradient">The loss gradient of one of this task's examples.</param>
/// <param name="support">Indices of the examples to adapt on.</param>
/// <param name="query">Indices of the examples the first-order MAML gradient is taken on (ignored by Reptile).</param>
/// <param name="innerSteps">Full-batch gradient steps of adaptation.</param>
/// <param name="innerLearningRate">Step size of adaptation.</param>
/// <param name="update">Reptile or first-order MAML.</param>
public sealed class MetaLearningTask(
    PerExampleGradient gradient, IReadOnlyList<int> support, IReadOnlyList<int> query, int innerSteps, double innerLearningRate,
    MetaUpdate update = MetaUpdate.Reptile) : IFederatedClient
{
    /// <inheritdoc />
    public void TrainLocally(ReadOnlySpan<float> sharedModel, Span<float> sharedDelta)
    {
        var adapted = sharedModel.ToArray();
        var step = new float[adapted.Length];
        for (var s = 0; s < innerSteps; s++)
        {
            MeanGradient(adapted, support, step);
            for (var i = 0; i < adapted.Length; i++)
            {
                adapted[i] = (float)(adapted[i] - (innerLearningRate * step[i]));
            }
        }
        switch (update)
        {
            case MetaUpdate.Reptile:
                for (var i = 0; i < adapted.Length; i++)
                {
                    sharedDelta[i] = adapted[i] - sharedModel[i];
                }
                break;
            case MetaUpdate.FirstOrderMaml:
                // The descent direction, so that the server learning rate is the meta step size β.
                MeanGradient(adapted, query, step);
                for (var i = 0; i < adapted.Length; i++)
                {
                    sharedDelta[i] = -step[i];
                }
                break;
            default:
                throw new InvalidOperationException($"Unknown meta-update {update}.");
        }
    }

    private void MeanGradient(float[] parameters, IReadOnlyList<int> examples, float[] mean)
    {
        Array.Clear(mean);
        var one = new float[parameters.Length];
        foreach (var example in examples)
        {
            Array.Clear(one);
            gradient(example, parameters, one);
            for (var i = 0; i < mean.Length; i++)
            {
                mean[i] += one[i] / examples.Count;
            }
        }
    }
}
