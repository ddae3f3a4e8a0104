using Accounting.Accountant.Contracts;
using Accounting.Demo.Data;
using Accounting.Demo.Models;
using Accounting.Demo.Output;
using Accounting.Mechanisms.Calibration;
using Accounting.TrainerAdapters.Aggregation;
using Accounting.TrainerAdapters.DpSgd;
using Accounting.TrainerAdapters.Sampling;

namespace Accounting.Demo.Experiments;

/// <summary>
/// A DP-SGD classifier (ten classes, softmax regression) with the example as the privacy unit, trained until the
/// task's quota refuses a step, and the same training without clipping or noise as the baseline.
/// </summary>
internal static class DpSgdExperiment
{
    /// <summary>The run's shape: data size, plan and step size.</summary>
    public sealed record Settings(
        int TrainCount = 20_000, int TestCount = 5_000, long Steps = 1_000, int ExpectedLot = 250,
        double ClipNorm = 1, double LearningRate = 2, int EvaluateEvery = 10);

    /// <summary>Trains privately against the service and non-privately in memory.</summary>
    public static async Task<ExperimentResult> RunAsync(
        DemoClients accountant, string runId, Settings settings, TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        var (train, test) = ClassificationData.Generate(settings.TrainCount, settings.TestCount);
        var model = new SoftmaxRegression(ClassificationData.Classes, ClassificationData.Dimension);
        var units = Enumerable.Range(0, train.Count).Select(i => $"{runId}/example-{i:D6}").ToArray();
        var plan = new TrainingPlan(settings.Steps, SamplingScheme.Poisson, (double)settings.ExpectedLot / train.Count);
        var task = await DemoTask.CreateAsync(accountant, $"{runId}/dp-sgd", UnitKind.Example, units, plan, settings.ClipNorm, null, cancellationToken);
        log?.WriteLine($"DP-SGD: {train.Count} examples, expected lot {settings.ExpectedLot}, {settings.Steps} planned steps, C = {settings.ClipNorm}; σ = {task.Task.NoiseMultiplier:F4} for ε = {DemoTask.TaskEpsilon}, δ = {DemoTask.Delta}");

        var parameters = new float[model.ParameterCount];
        var trainer = new DpSgdTrainer(
            new PrivateAggregator(task, model.ParameterCount), (i, p, g) => model.Gradient(train, i, p, g), settings.LearningRate);
        var progress = log is null ? null : new ProgressBar(log, "DP-SGD", settings.Steps);
        var (rounds, stop) = await TrainingLoop.RunAsync(
            token => trainer.StepAsync(parameters, token),
            step => (step + 1) % settings.EvaluateEvery == 0 ? model.Accuracy(test, parameters) : null,
            progress, cancellationToken);

        var baseline = Baseline(train, model, plan.EffectiveSamplingRate, settings);
        return new ExperimentResult(
            "DP-SGD", task.Task.Id, task.Task.NoiseMultiplier, model.Accuracy(test, parameters), model.Accuracy(test, baseline), rounds, stop);
    }

    // The same Poisson lots, steps and step size, with the lot's mean gradient: no clipping, no noise.
    private static float[] Baseline(Examples train, SoftmaxRegression model, double samplingRate, Settings settings)
    {
        var parameters = new float[model.ParameterCount];
        var mean = new double[model.ParameterCount];
        var sampler = new PoissonSampler(samplingRate);
        for (var step = 0; step < settings.Steps; step++)
        {
            NonPrivateRound.Mean(sampler, train.Count, (i, g) => model.Gradient(train, i, parameters, g), mean);
            for (var p = 0; p < parameters.Length; p++)
            {
                parameters[p] = (float)(parameters[p] - (settings.LearningRate * mean[p]));
            }
        }
        return parameters;
    }
}
