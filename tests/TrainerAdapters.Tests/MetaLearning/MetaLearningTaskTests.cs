using Accounting.Accountant.Contracts;
using Accounting.Mechanisms.Calibration;
using Accounting.TrainerAdapters.Aggregation;
using Accounting.TrainerAdapters.FedAvg;
using Accounting.TrainerAdapters.MetaLearning;
using Accounting.TrainerAdapters.Tests.Support;
using MathNet.Numerics.Distributions;

namespace Accounting.TrainerAdapters.Tests.MetaLearning;

/// <summary>
/// Private meta-learning with the task as the privacy unit: 200 linear-regression tasks whose optimal weights are
/// w* plus a small task-specific offset, so a good meta-initialisation is near w*.
/// </summary>
public sealed class MetaLearningTaskTests : LiveAccountant
{
    private const int Tasks = 200;
    private const int Rounds = 30;
    private const double Q = 0.2;
    private static readonly float[] Optimum = [1.5f, -1, 2, 0.5f, -1.5f];

    [Theory]
    [InlineData(MetaUpdate.Reptile)]
    [InlineData(MetaUpdate.FirstOrderMaml)]
    public async Task Private_meta_learning_moves_the_meta_parameters_from_zero_to_near_the_shared_optimum(MetaUpdate update)
    {
        var name = update.ToString().ToLowerInvariant();
        var units = await CohortAsync(name, UnitKind.Task, Tasks);
        // ε = 6 at δ = 1e-6 over 30 rounds at q = 0.2: the tasks' default lifetime budget (ε = 8, δ = 1e-6) outlasts it,
        // so no task drops out. The service calibrates σ ≈ 1.37: noise of σC/(q·200) ≈ 0.034 per coordinate of a round's
        // mean. Once unclipped, a round keeps about (1 − 0.1)^5 ≈ 0.59 of the error under Reptile and 0.41 under
        // first-order MAML, so the noise leaves at most about 0.04 per coordinate, 0.1 in distance: ending farther than a
        // tenth of the start (0.31) has probability far below 10^-6.
        var plan = new TrainingPlan(Rounds, SamplingScheme.Poisson, Q);
        var task = await TaskAsync(name, UnitKind.Task, plan, 6, 1e-6, 1);
        var random = new Random(update == MetaUpdate.Reptile ? 101 : 202);
        var learners = Enumerable.Range(0, Tasks).Select(_ => Learner(random, update)).ToArray();
        var trainer = new DpFedAvgTrainer(
            new PrivateAggregator(await ChargedTask.OpenAsync(Client, task.Id, units), Optimum.Length), learners, serverLearningRate: 1);
        var meta = new float[Optimum.Length];
        var start = Distance(meta, Optimum);

        for (var round = 0; round < Rounds; round++)
        {
            var charged = Assert.IsType<RoundCharged>(await trainer.RoundAsync(meta));
            Assert.Equal(Tasks, charged.Charge.ParticipatingUnits);
        }

        var end = Distance(meta, Optimum);
        Assert.True(end <= start / 10, $"{update}: distance to w* went from {start:F3} to {end:F3}");
    }

    // Twenty examples x ~ N(0, I), y = ⟨w* + offset, x⟩ + N(0, 0.05²), offset ~ N(0, 0.1² I); adapt on ten, query on ten.
    private static MetaLearningTask Learner(Random random, MetaUpdate update)
    {
        var weights = Optimum.Select(w => w + (0.1 * Normal.Sample(random, 0, 1))).ToArray();
        var features = Enumerable.Range(0, 20).Select(_ => Optimum.Select(_ => (float)Normal.Sample(random, 0, 1)).ToArray()).ToArray();
        var labels = features.Select(x => (float)(x.Zip(weights, (a, b) => a * b).Sum() + (0.05 * Normal.Sample(random, 0, 1)))).ToArray();
        return new MetaLearningTask(
            (example, parameters, gradient) =>
            {
                // ½(⟨θ, x⟩ − y)²: the gradient is the residual times x.
                var residual = -labels[example];
                for (var i = 0; i < parameters.Length; i++)
                {
                    residual += parameters[i] * features[example][i];
                }
                for (var i = 0; i < parameters.Length; i++)
                {
                    gradient[i] = residual * features[example][i];
                }
            },
            support: [.. Enumerable.Range(0, 10)], query: [.. Enumerable.Range(10, 10)], innerSteps: 5, innerLearningRate: 0.1, update);
    }

    private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum());
}
