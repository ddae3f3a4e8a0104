using Accounting.Accountant.Contracts;
using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Events;
using Accounting.TrainerAdapters.Aggregation;
using Accounting.TrainerAdapters.Tests.Support;
using MathNet.Numerics.Distributions;

namespace Accounting.TrainerAdapters.Tests.Aggregation;

/// <summary>
/// What a round computes: the clipped sum over the units still in the task, the service's noise, and the plan's public
/// denominator. Units on the default budget (ε = 8) are excluded at step 0, since one step at these very generous
/// targets costs far more; the others get budgets that fit.
/// </summary>
public sealed class PrivateAggregatorTests : LiveAccountant
{
    private const double ClipNorm = 1;
    private const double LargeBudget = 1e7;

    [Fact]
    public async Task A_round_releases_the_clipped_sum_plus_the_services_noise_over_the_participating_units()
    {
        const int Units = 40;
        const int Dimension = 50;
        var units = await CohortAsync("mean", UnitKind.Example, Units);
        int[] kept = [.. Enumerable.Range(0, Units).Where(i => i % 4 != 0)];
        await SetBudgetsAsync(kept.Select(i => units[i]), LargeBudget);
        var task = await TaskAsync("mean", UnitKind.Example, new TrainingPlan(1, SamplingScheme.None), 1e3, 1e-5, ClipNorm);
        var contributions = Contributions(Units, Dimension, new Random(11));
        Assert.Contains(kept, i => Norm(contributions[i]) > 2 * ClipNorm);
        Assert.Contains(kept, i => Norm(contributions[i]) < ClipNorm / 2);
        var aggregator = new PrivateAggregator(await ChargedTask.OpenAsync(Client, task.Id, units), Dimension);
        var read = new List<int>();
        var result = new double[Dimension];

        var round = Assert.IsType<RoundCharged>(await aggregator.RunAsync(
            (unit, destination) =>
            {
                read.Add(unit);
                contributions[unit].CopyTo(destination);
            },
            result));

        Assert.Equal(kept, round.Contributors);
        Assert.Equal(kept, read);
        Assert.Equal(kept.Length, round.Charge.ParticipatingUnits);
        var deviation = round.Charge.NoiseStandardDeviation!.Value;
        Assert.Equal(round.Charge.NoiseMultiplier!.Value * ClipNorm, deviation, 12); // add/remove: sensitivity C
        var expected = Mean(kept.Select(i => Clip(contributions[i])), kept.Length);
        NoisyResult.AssertWithinNoise(result, expected, deviation / kept.Length, Significance.PerTest, "noisy mean");
        NoisyResult.AssertDistinguishable(
            expected, Mean(kept.Select(i => Widen(contributions[i])), kept.Length), deviation / kept.Length, Significance.PerTest, "an unclipped mean");
        NoisyResult.AssertDistinguishable(
            expected, Mean(kept.Select(i => Clip(contributions[i])), Units), deviation / kept.Length, Significance.PerTest, "a mean over all listed units");
        NoisyResult.AssertDistinguishable(
            expected, Mean(contributions.Select(Clip), kept.Length), deviation / kept.Length, Significance.PerTest, "a sum with the excluded units");
    }

    [Fact]
    public async Task Under_Poisson_sampling_the_sum_is_divided_by_q_times_the_participating_units()
    {
        // Every unit contributes the same v, ‖v‖ = 0.9 C, so a round with K contributors has expectation K·v/(q·40).
        const int Units = 60;
        const int Rounds = 20;
        const double Q = 0.5;
        var units = await CohortAsync("poisson", UnitKind.Example, Units);
        int[] kept = [.. Enumerable.Range(0, Units).Where(i => i % 3 != 0)];
        await SetBudgetsAsync(kept.Select(i => units[i]), LargeBudget);
        var task = await TaskAsync("poisson", UnitKind.Example, new TrainingPlan(Rounds, SamplingScheme.Poisson, Q), 5e3, 1e-5, ClipNorm);
        float[] v = [0.45f, -0.45f, 0.45f, -0.45f];

        var rounds = await RunSameContributionAsync(task.Id, units, v, Rounds);

        Assert.All(rounds, r => Assert.Subset(kept.ToHashSet(), r.Round.Contributors.ToHashSet()));
        Assert.All(rounds, r => Assert.InRange(r.Round.Sampled, r.Round.Contributors.Count, Units));
        var deviation = rounds[0].Round.Charge.NoiseStandardDeviation!.Value / (Q * kept.Length);
        var expected = Expected(rounds, v, k => k / (Q * kept.Length));
        NoisyResult.AssertWithinNoise(Observed(rounds), expected, deviation, Significance.PerTest, "noisy means");
        // Dividing by the drawn K instead (which would also release K): at the σ ≈ 0.05 this target calibrates to, told
        // apart unless Σ(K − 20)² over the 20 rounds is below 2 (its mean is 200), which has probability below 10^-8.
        NoisyResult.AssertDistinguishable(expected, Expected(rounds, v, k => k == 0 ? 0 : 1), deviation, Significance.PerTest, "dividing by the drawn count");
        NoisyResult.AssertDistinguishable(expected, Expected(rounds, v, k => k / (Q * Units)), deviation, Significance.PerTest, "q times all listed units");
    }

    [Fact]
    public async Task Sampling_without_replacement_divides_by_the_batch_size()
    {
        // Replace-one neighbours for this plan: the user kind's policy takes that relation before anything is spent.
        await Client.SetDefaultBudgetAsync(UnitKind.User, new BudgetDto(8, 1e-6, null, "filter/v1", NeighbouringRelation.ReplaceOne, UnitKind.User));
        const int Units = 60;
        const int Batch = 30;
        const int Rounds = 10;
        var units = await CohortAsync("batch", UnitKind.User, Units);
        int[] kept = [.. Enumerable.Range(0, Units).Where(i => i % 3 != 0)];
        await SetBudgetsAsync(kept.Select(i => units[i]), LargeBudget);
        var task = await Client.CreateTaskAsync(new CreateTaskRequest(
            "batch", UnitKind.User, NeighbouringRelation.ReplaceOne, new TrainingPlan(Rounds, SamplingScheme.WithoutReplacement, DatasetSize: Units, BatchSize: Batch),
            new EpsilonDeltaTarget(5e3, 1e-5), ClipNorm, Id: "batch-task"));
        float[] v = [0.3f, -0.3f, 0.3f, -0.3f, 0.3f, -0.3f, 0.3f, -0.3f];

        var rounds = await RunSameContributionAsync(task.Id, units, v, Rounds);

        Assert.All(rounds, r => Assert.Equal(Batch, r.Round.Sampled));
        Assert.All(rounds, r => Assert.Subset(kept.ToHashSet(), r.Round.Contributors.ToHashSet()));
        var noise = rounds[0].Round.Charge.NoiseStandardDeviation!.Value;
        Assert.Equal(rounds[0].Round.Charge.NoiseMultiplier!.Value * 2 * ClipNorm, noise, 12); // replace-one: sensitivity 2C
        var expected = Expected(rounds, v, k => k / (double)Batch);
        NoisyResult.AssertWithinNoise(Observed(rounds), expected, noise / Batch, Significance.PerTest, "noisy means");
        NoisyResult.AssertDistinguishable(expected, Expected(rounds, v, k => k == 0 ? 0 : 1), noise / Batch, Significance.PerTest, "dividing by the contributors");
    }

    private async Task<List<(RoundCharged Round, double[] Result)>> RunSameContributionAsync(string taskId, string[] units, float[] v, int rounds)
    {
        var aggregator = new PrivateAggregator(await ChargedTask.OpenAsync(Client, taskId, units), v.Length);
        var results = new List<(RoundCharged, double[])>();
        for (var r = 0; r < rounds; r++)
        {
            var result = new double[v.Length];
            results.Add((Assert.IsType<RoundCharged>(await aggregator.RunAsync((_, destination) => v.CopyTo(destination), result)), result));
        }
        Assert.Single(results.Select(r => r.Item1.Charge.NoiseStandardDeviation).Distinct());
        return results;
    }

    // Per round, v times the factor of its contributor count, concatenated over rounds.
    private static double[] Expected(List<(RoundCharged Round, double[] Result)> rounds, float[] v, Func<int, double> factor) =>
        [.. rounds.SelectMany(r => v.Select(x => x * factor(r.Round.Contributors.Count)))];

    private static double[] Observed(List<(RoundCharged Round, double[] Result)> rounds) => [.. rounds.SelectMany(r => r.Result)];

    // Unit i points mostly along (1, …, 1) with its own wobble; norms run from 0.25 C to 2.75 C.
    private static float[][] Contributions(int count, int dimension, Random random) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var direction = Enumerable.Range(0, dimension).Select(_ => 1 + (0.3 * Normal.Sample(random, 0, 1))).ToArray();
            var length = Math.Sqrt(direction.Sum(x => x * x));
            var norm = ClipNorm * (0.25 + (0.25 * (i % 11)));
            return direction.Select(x => (float)(x * norm / length)).ToArray();
        })];

    private static double Norm(float[] v) => Math.Sqrt(v.Sum(x => (double)x * x));

    private static double[] Widen(float[] v) => [.. v.Select(x => (double)x)];

    private static double[] Clip(float[] v) => [.. v.Select(x => x * Math.Min(1, ClipNorm / Norm(v)))];

    private static double[] Mean(IEnumerable<double[]> vectors, double denominator)
    {
        double[]? sum = null;
        foreach (var vector in vectors)
        {
            sum ??= new double[vector.Length];
            for (var i = 0; i < vector.Length; i++)
            {
                sum[i] += vector[i];
            }
        }
        return [.. sum!.Select(x => x / denominator)];
    }
}
