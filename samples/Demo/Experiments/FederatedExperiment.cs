using Accounting.Accountant.Contracts;
using Accounting.Demo.Data;
using Accounting.Demo.Models;
using Accounting.Demo.Output;
using Accounting.Mechanisms.Calibration;
using Accounting.TrainerAdapters.Aggregation;
using Accounting.TrainerAdapters.FedAvg;
using Accounting.TrainerAdapters.Sampling;

namespace Accounting.Demo.Experiments;

/// <summary>
/// A federated multitask model with user-level privacy: a shared representation trained by DP-FedAvg over many
/// clients (the client is the privacy unit, and only the shared part is charged) and a personal head per client that
/// never leaves it. Some clients chose a smaller budget of their own; the service excludes them when it is spent and
/// the rest train on. The baseline is the same federated training without clipping or noise.
/// </summary>
internal static class FederatedExperiment
{
    /// <summary>The run's shape: population, plan and step sizes.</summary>
    public sealed record Settings(
        int Clients = 1_000, int TrainPerClient = 40, int TestPerClient = 40, long Rounds = 200, double SamplingRate = 0.1,
        double ClipNorm = 0.5, double ServerLearningRate = 1, int StrictEvery = 10, double StrictEpsilon = 3, int EvaluateEvery = 10);

    /// <summary>Trains privately against the service and non-privately in memory.</summary>
    public static async Task<ExperimentResult> RunAsync(
        DemoClients accountant, string runId, Settings settings, TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        var data = FederatedData.Generate(settings.Clients, settings.TrainPerClient, settings.TestPerClient);
        var units = Enumerable.Range(0, settings.Clients).Select(c => $"{runId}/client-{c:D5}").ToArray();
        var strict = units.Where((_, c) => c % settings.StrictEvery == settings.StrictEvery - 1)
            .ToDictionary(unit => unit, _ => settings.StrictEpsilon);
        var plan = new TrainingPlan(settings.Rounds, SamplingScheme.Poisson, settings.SamplingRate);
        var task = await DemoTask.CreateAsync(accountant, $"{runId}/fed-multitask", UnitKind.Client, units, plan, settings.ClipNorm, strict, cancellationToken);
        log?.WriteLine($"DP-FedAvg, personalised: {settings.Clients} clients ({strict.Count} with their own ε = {settings.StrictEpsilon}), q = {settings.SamplingRate}, {settings.Rounds} planned rounds, C = {settings.ClipNorm}; σ = {task.Task.NoiseMultiplier:F4} for ε = {DemoTask.TaskEpsilon}, δ = {DemoTask.Delta}");

        var clients = data.Select(d => new PersonalizedClient(d.Train, d.Test)).ToArray();
        var shared = InitialRepresentation();
        var trainer = new DpFedAvgTrainer(new PrivateAggregator(task, PersonalizedClient.SharedCount), clients, settings.ServerLearningRate);
        var progress = log is null ? null : new ProgressBar(log, "DP-FedAvg", settings.Rounds);
        var (rounds, stop) = await TrainingLoop.RunAsync(
            token => trainer.RoundAsync(shared, token),
            round => (round + 1) % settings.EvaluateEvery == 0 ? Accuracy(clients, shared) : null,
            progress, cancellationToken);

        var baselineClients = data.Select(d => new PersonalizedClient(d.Train, d.Test)).ToArray();
        var baseline = Baseline(baselineClients, settings);
        return new ExperimentResult(
            "DP-FedAvg", task.Task.Id, task.Task.NoiseMultiplier, Accuracy(clients, shared), Accuracy(baselineClients, baseline), rounds, stop);
    }

    /// <summary>Mean test accuracy over every client, each with a head fitted locally to the shared representation.</summary>
    private static double Accuracy(PersonalizedClient[] clients, float[] shared) => clients.Average(c => c.Accuracy(shared));

    // A public random start, the same for the private run and the baseline.
    private static float[] InitialRepresentation() =>
        Gaussians.Vector(new Random(7), PersonalizedClient.SharedCount, 1 / Math.Sqrt(PersonalizedClient.Dimension));

    // The same Poisson-sampled rounds with the plain mean of the sampled clients' changes.
    private static float[] Baseline(PersonalizedClient[] clients, Settings settings)
    {
        var shared = InitialRepresentation();
        var mean = new double[shared.Length];
        var sampler = new PoissonSampler(settings.SamplingRate);
        for (var round = 0; round < settings.Rounds; round++)
        {
            NonPrivateRound.Mean(sampler, clients.Length, (c, delta) => clients[c].TrainLocally(shared, delta), mean);
            for (var p = 0; p < shared.Length; p++)
            {
                shared[p] = (float)(shared[p] + (settings.ServerLearningRate * mean[p]));
            }
        }
        return shared;
    }
}
