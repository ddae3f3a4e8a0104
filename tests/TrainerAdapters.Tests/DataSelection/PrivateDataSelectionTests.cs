using Accounting.Accountant.Contracts;
using Accounting.Mechanisms.Calibration;
using Accounting.TrainerAdapters.Aggregation;
using Accounting.TrainerAdapters.Client;
using Accounting.TrainerAdapters.DataSelection;
using Accounting.TrainerAdapters.Tests.Support;
using MathNet.Numerics.Distributions;

namespace Accounting.TrainerAdapters.Tests.DataSelection;

/// <summary>Noisy gradient-similarity scores, charged one round at a time.</summary>
public sealed class PrivateDataSelectionTests : LiveAccountant
{
    private const int Candidates = 20;
    private const int Rounds = 3;
    private const double ClipNorm = 1;
    private static readonly float[] Parameters = [0.1f, -0.2f, 0.3f, 0, 0.5f];
    private static readonly float[] Direction = [2, 1, -1, 0, 3]; // not of unit length: the driver normalises it

    [Fact]
    public async Task Aligned_candidates_outscore_opposed_ones_excluded_ones_get_none_and_each_round_is_one_charge()
    {
        // Every fifth candidate keeps the default lifetime budget (ε = 8), which one round at this small noise exceeds,
        // so the service excludes it at step 0; the others can afford the whole plan.
        var ids = await CohortAsync("select", UnitKind.Example, Candidates);
        int[] scored = [.. Enumerable.Range(0, Candidates).Where(i => i % 5 != 3)];
        await SetBudgetsAsync(scored.Select(i => ids[i]), 1e7);
        var task = await TaskAsync("select", UnitKind.Example, new TrainingPlan(Rounds, SamplingScheme.None), 3e3, 1e-5, ClipNorm);
        var gradients = Gradients(new Random(5));
        var read = new List<int>();
        var selection = new PrivateDataSelection(
            await ChargedTask.OpenAsync(Client, task.Id, ids),
            (candidate, parameters, gradient) =>
            {
                read.Add(candidate);
                // ∇ = θ − x_c with x_c = θ − g_c, so the candidate's gradient is g_c at the parameters given.
                for (var i = 0; i < gradient.Length; i++)
                {
                    gradient[i] = parameters[i] - (Parameters[i] - gradients[candidate][i]);
                }
            });
        int[] aligned = [.. scored.Where(i => i % 2 == 0)];
        int[] opposed = [.. scored.Where(i => i % 2 == 1)];
        var (observed, expected, unclipped, raw) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        double? deviation = null;

        for (var round = 0; round < Rounds; round++)
        {
            read.Clear();
            var (outcome, scores) = await selection.ScoreAsync(Parameters, Direction);

            var charged = Assert.IsType<RoundCharged>(outcome);
            Assert.Equal(scored, charged.Contributors);
            Assert.Equal(scored, read);
            Assert.All(Enumerable.Range(0, Candidates), i => Assert.Equal(scored.Contains(i), scores[i].HasValue));
            // Clean similarities are at least 0.7·0.6 = 0.42 C in size; with every score within 6 noise deviations s of
            // its clean value (checked below) and 6s < 0.3 C, every aligned candidate outranks every opposed one.
            deviation = charged.Charge.NoiseStandardDeviation!.Value;
            Assert.True(6 * deviation < 0.3 * ClipNorm, $"noise {deviation} too large for the ranking claim");
            Assert.True(aligned.Min(i => scores[i]) > opposed.Max(i => scores[i]));
            Assert.Equal(aligned, PrivateDataSelection.Top(scores, aligned.Length).Order());
            foreach (var i in scored)
            {
                observed.Add(scores[i]!.Value);
                expected.Add(Similarity(gradients[i], clip: true, normalise: true));
                unclipped.Add(Similarity(gradients[i], clip: false, normalise: true));
                raw.Add(Similarity(gradients[i], clip: true, normalise: false));
            }
        }

        NoisyResult.AssertWithinNoise(observed, expected, deviation!.Value, Significance.PerTest, "scores");
        NoisyResult.AssertDistinguishable(expected, unclipped, deviation.Value, Significance.PerTest, "unclipped gradients");
        NoisyResult.AssertDistinguishable(expected, raw, deviation.Value, Significance.PerTest, "a direction left unnormalised");
        var charges = 0;
        await foreach (var line in Client.LedgerAsync(new LedgerQuery(Task: task.Id)))
        {
            charges += line.Contains("\"kind\":\"charge\"", StringComparison.Ordinal) ? 1 : 0;
        }
        Assert.Equal(Rounds, charges);
    }

    [Fact]
    public async Task A_task_that_samples_is_refused_because_every_candidates_score_is_released()
    {
        var ids = await CohortAsync("sampled", UnitKind.Example, 4);
        var task = await TaskAsync("sampled", UnitKind.Example, new TrainingPlan(3, SamplingScheme.Poisson, 0.5), 1, 1e-5, ClipNorm);
        var opened = await ChargedTask.OpenAsync(Client, task.Id, ids);

        Assert.Throws<ArgumentException>(() => new PrivateDataSelection(opened, (_, _, _) => { }));
        Assert.Equal(0, (await Client.GetTaskAsync(task.Id)).NextStep);
    }

    // Candidate c: norm 0.7 C to 3 C, cosine with the direction ±(0.6 to 0.95), + for even c and − for odd c; the
    // rest of it is orthogonal to the direction.
    private static float[][] Gradients(Random random)
    {
        var unit = Unit(Direction.Select(x => (double)x).ToArray());
        return [.. Enumerable.Range(0, Candidates).Select(c =>
        {
            var other = unit.Select(_ => Normal.Sample(random, 0, 1)).ToArray();
            var along = other.Zip(unit, (a, b) => a * b).Sum();
            var orthogonal = Unit([.. other.Zip(unit, (a, b) => a - (along * b))]);
            var cosine = (c % 2 == 0 ? 1 : -1) * (0.6 + (0.35 * random.NextDouble()));
            var norm = ClipNorm * (0.7 + (2.3 * random.NextDouble()));
            return unit.Zip(orthogonal, (u, o) => (float)(norm * ((cosine * u) + (Math.Sqrt(1 - (cosine * cosine)) * o)))).ToArray();
        })];
    }

    private static double Similarity(float[] gradient, bool clip, bool normalise)
    {
        var norm = Math.Sqrt(gradient.Sum(x => (double)x * x));
        var scale = clip ? Math.Min(1, ClipNorm / norm) : 1;
        var direction = Direction.Select(x => (double)x).ToArray();
        var u = normalise ? Unit(direction) : direction;
        return gradient.Zip(u, (g, d) => g * scale * d).Sum();
    }

    private static double[] Unit(double[] v)
    {
        var norm = Math.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / norm)];
    }
}
