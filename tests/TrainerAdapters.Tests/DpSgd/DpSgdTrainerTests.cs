using Accounting.Accountant.Contracts;
using Accounting.Mechanisms.Calibration;
using Accounting.TrainerAdapters.Aggregation;
using Accounting.TrainerAdapters.DpSgd;
using Accounting.TrainerAdapters.Tests.Support;

namespace Accounting.TrainerAdapters.Tests.DpSgd;

/// <summary>DP-SGD against the real service: what is read once the service excludes an example, and refused steps.</summary>
public sealed class DpSgdTrainerTests : LiveAccountant
{
    private const int Dimension = 3;

    [Fact]
    public async Task Excluded_examples_are_never_read_at_or_after_the_step_that_excluded_them()
    {
        // Full-batch DP-SGD (sampling none): every example still in the task is read at every step, so the reads are
        // known exactly. Three examples get small personal budgets and run out after a few steps; the rest keep the
        // default ε = 8, δ = 1e-6, which outlasts this task's whole quota (ε = 6 at δ = 1e-6 over 20 steps).
        const int Rounds = 12;
        var examples = await CohortAsync("full", UnitKind.Example, 12);
        var personal = new Dictionary<int, double> { [2] = 2, [7] = 3, [11] = 4 };
        foreach (var (index, epsilon) in personal)
        {
            await SetBudgetsAsync([examples[index]], epsilon);
        }
        var task = await TaskAsync("full", UnitKind.Example, new TrainingPlan(20, SamplingScheme.None), 6, 1e-6, 1);

        var run = await TrainAsync(task.Id, examples, Rounds);

        // The service excluded exactly the small budgets, each after at least one step of the run.
        Assert.Equal(personal.Keys.Order(), run.ExcludedAt.Keys.Order());
        Assert.All(run.ExcludedAt.Values, at => Assert.InRange(at, 1, Rounds - 1));
        await AssertServiceRecordsAsync(task.Id, examples, run.ExcludedAt);

        foreach (var (step, example) in run.Reads)
        {
            Assert.False(
                run.ExcludedAt.TryGetValue(example, out var at) && step >= at,
                $"example {example} was read at step {step}, but the service excluded it at step {at}");
        }
        foreach (var (example, at) in run.ExcludedAt)
        {
            // Not vacuous: before its exclusion the example was read at every step, like everyone else.
            Assert.Equal(Enumerable.Range(0, (int)at).Select(s => (long)s), run.Reads.Where(r => r.Example == example).Select(r => r.Step));
        }
        for (long step = 0; step < Rounds; step++)
        {
            var stillIn = Enumerable.Range(0, examples.Length).Where(e => !(run.ExcludedAt.TryGetValue(e, out var at) && at <= step));
            Assert.Equal(stillIn, run.Contributors[step]);
            Assert.Equal(run.Contributors[step], run.Reads.Where(r => r.Step == step).Select(r => r.Example).Order());
        }
    }

    [Fact]
    public async Task Under_Poisson_sampling_an_excluded_example_is_never_read_again()
    {
        // Poisson sampling draws from every listed example, excluded or not; the drawn excluded ones must be dropped.
        // Everyone pays every step (sampled or not), so the exclusion steps are fixed by the budgets, not by the draws.
        const int Rounds = 25;
        var examples = await CohortAsync("poisson", UnitKind.Example, 30);
        var personal = Enumerable.Range(0, 10).ToDictionary(i => 3 * i, i => 2 + (0.25 * i));
        foreach (var (index, epsilon) in personal)
        {
            await SetBudgetsAsync([examples[index]], epsilon);
        }
        var task = await TaskAsync("poisson", UnitKind.Example, new TrainingPlan(30, SamplingScheme.Poisson, 0.5), 6, 1e-6, 1);

        var run = await TrainAsync(task.Id, examples, Rounds);

        Assert.Equal(personal.Keys.Order(), run.ExcludedAt.Keys.Order());
        await AssertServiceRecordsAsync(task.Id, examples, run.ExcludedAt);
        foreach (var (step, example) in run.Reads)
        {
            Assert.False(
                run.ExcludedAt.TryGetValue(example, out var at) && step >= at,
                $"example {example} was read at step {step}, but the service excluded it at step {at}");
        }
        foreach (var (step, contributors) in run.Contributors)
        {
            Assert.DoesNotContain(contributors, e => run.ExcludedAt.TryGetValue(e, out var at) && at <= step);
            Assert.Equal(contributors, run.Reads.Where(r => r.Step == step).Select(r => r.Example).Order());
        }
        // Not vacuous: the excluded examples had Σ at ≥ 20 chances (each drawn with q = 0.5) to be read before their
        // exclusion, so they were read with probability at least 1 − 2^-20.
        Assert.True(run.ExcludedAt.Values.Sum() >= 20, $"the small budgets ran out too early: {string.Join(", ", run.ExcludedAt)}");
        Assert.Contains(run.Reads, r => run.ExcludedAt.ContainsKey(r.Example));
    }

    [Fact]
    public async Task A_refused_step_leaves_the_model_unchanged_and_every_later_step_is_refused()
    {
        var examples = await CohortAsync("refused", UnitKind.Example, 8);
        var plan = new TrainingPlan(5, SamplingScheme.None);
        var task = await TaskAsync("refused", UnitKind.Example, plan, 2, 1e-5, 1);
        var opened = await ChargedTask.OpenAsync(Client, task.Id, examples);
        var reads = 0;
        var trainer = new DpSgdTrainer(new PrivateAggregator(opened, Dimension), (example, parameters, gradient) =>
        {
            reads++;
            Gradient(example, parameters, gradient);
        }, learningRate: 0.5);
        var parameters = new float[Dimension];

        // Train until the quota refuses: the calibrated plan fits, so that happens after at least plan.Steps steps.
        var charged = 0;
        RoundRefused? refused = null;
        while (refused is null && charged <= 10 * plan.Steps)
        {
            var before = (float[])parameters.Clone();
            var readsBefore = reads;
            var outcome = await trainer.StepAsync(parameters);
            if (outcome is RoundRefused r)
            {
                refused = r;
                Assert.Equal(before, parameters);
                Assert.Equal(readsBefore, reads);
            }
            else
            {
                Assert.NotEqual(before, parameters);
                charged++;
            }
        }
        Assert.NotNull(refused);
        Assert.True(charged >= plan.Steps, $"only {charged} of the {plan.Steps} planned steps were charged");
        Assert.Equal(charged, refused.Step);
        Assert.Equal(TaskState.Exhausted, (await Client.GetTaskAsync(task.Id)).State);

        // The task is closed now: a further round through the trainer, or through an aggregator on the same task, is
        // refused at the same step and touches neither the model, the result, nor any example.
        var frozen = (float[])parameters.Clone();
        var again = Assert.IsType<RoundRefused>(await trainer.StepAsync(parameters));
        Assert.Equal(refused.Step, again.Step);
        Assert.Equal(frozen, parameters);
        var sentinel = Enumerable.Repeat(42.0, Dimension).ToArray();
        var direct = await new PrivateAggregator(opened, Dimension).RunAsync((_, _) => reads++, sentinel);
        Assert.Equal(refused.Step, Assert.IsType<RoundRefused>(direct).Step);
        Assert.All(sentinel, v => Assert.Equal(42.0, v));
        Assert.Equal(charged * examples.Length, reads);
        Assert.Equal(refused.Step, opened.NextStep);
    }

    private async Task<Run> TrainAsync(string taskId, string[] examples, int rounds)
    {
        var task = await ChargedTask.OpenAsync(Client, taskId, examples);
        var run = new Run([], [], []);
        var step = -1L;
        var trainer = new DpSgdTrainer(new PrivateAggregator(task, Dimension), (example, parameters, gradient) =>
        {
            run.Reads.Add((step, example));
            Gradient(example, parameters, gradient);
        }, learningRate: 0.1);
        var parameters = new float[Dimension];
        for (var round = 0; round < rounds; round++)
        {
            step = task.NextStep;
            var outcome = Assert.IsType<RoundCharged>(await trainer.StepAsync(parameters));
            Assert.Equal(step, outcome.Step);
            foreach (var unit in outcome.Charge.ExcludedUnits)
            {
                run.ExcludedAt.Add(Array.IndexOf(examples, unit), outcome.Step);
            }
            run.Contributors[outcome.Step] = outcome.Contributors;
        }
        return run;
    }

    // The exclusion steps the charges answered are the service's own records: its exclusions list and each unit's history.
    private async Task AssertServiceRecordsAsync(string taskId, string[] examples, Dictionary<int, long> excludedAt)
    {
        var listed = new List<string>();
        await foreach (var unit in Client.ExclusionsAsync(taskId))
        {
            listed.Add(unit);
        }
        Assert.Equal(excludedAt.Keys.Select(i => examples[i]).Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        for (var i = 0; i < examples.Length; i++)
        {
            var history = (await Client.GetUnitAsync(examples[i])).Tasks.Single(t => t.TaskId == taskId);
            Assert.Equal(excludedAt.TryGetValue(i, out var at) ? at : null, history.ExcludedAtStep);
        }
    }

    // Squared distance to the example's point (i, −i, 1): ∇ = θ − x_i.
    private static void Gradient(int example, ReadOnlySpan<float> parameters, Span<float> gradient)
    {
        gradient[0] = parameters[0] - example;
        gradient[1] = parameters[1] + example;
        gradient[2] = parameters[2] - 1;
    }

    private sealed record Run(List<(long Step, int Example)> Reads, Dictionary<int, long> ExcludedAt, Dictionary<long, IReadOnlyList<int>> Contributors);
}
