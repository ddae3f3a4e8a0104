using Accounting.Accountant.Contracts;
using Accounting.Mechanisms.Calibration;
using Accounting.TrainerAdapters.Aggregation;
using Accounting.TrainerAdapters.Tests.Support;

namespace Accounting.TrainerAdapters.Tests.Aggregation;

/// <summary>Opening a task: resuming where the service says, and refusing a unit list that is not the cohort's.</summary>
public sealed class ChargedTaskTests : LiveAccountant
{
    [Fact]
    public async Task A_reopened_task_resumes_at_its_next_step_and_already_knows_its_excluded_units()
    {
        // Full batch, 20 steps to ε = 6 at δ = 1e-6; three units have personal budgets that run out within six steps.
        var units = await CohortAsync("resume", UnitKind.Example, 10);
        await SetBudgetsAsync([units[1]], 0.5);
        await SetBudgetsAsync([units[4]], 2);
        await SetBudgetsAsync([units[8]], 3);
        var task = await TaskAsync("resume", UnitKind.Example, new TrainingPlan(20, SamplingScheme.None), 6, 1e-6, 1);

        // An earlier run (a trainer that crashed) charged six steps straight through the client.
        var excluded = new HashSet<string>();
        for (var step = 0; step < 6; step++)
        {
            excluded.UnionWith((await Client.ChargeAsync(task.Id, step)).ExcludedUnits);
        }
        Assert.Equal([units[1], units[4], units[8]], excluded.Order(StringComparer.Ordinal));

        // Reopened with the trainer's data in another order: indices follow that order.
        string[] reordered = [.. units.Reverse()];
        var reopened = await ChargedTask.OpenAsync(Client, task.Id, reordered);

        Assert.Equal(6, reopened.NextStep);
        Assert.Equal(units.Length - excluded.Count, reopened.Participating);
        for (var i = 0; i < reordered.Length; i++)
        {
            Assert.Equal(excluded.Contains(reordered[i]), reopened.IsExcluded(i));
        }
        var read = new List<int>();
        var round = Assert.IsType<RoundCharged>(await new PrivateAggregator(reopened, 2).RunAsync((unit, _) => read.Add(unit), new double[2]));
        int[] stillIn = [.. Enumerable.Range(0, reordered.Length).Where(i => !excluded.Contains(reordered[i]))];
        Assert.Equal(6, round.Step);
        Assert.Equal(stillIn, round.Contributors);
        Assert.Equal(stillIn, read);
        Assert.Equal(7, reopened.NextStep);
    }

    [Fact]
    public async Task Opening_refuses_a_unit_list_that_is_not_the_size_of_the_cohort_or_names_a_unit_twice()
    {
        var units = await CohortAsync("sizes", UnitKind.Example, 5);
        var task = await TaskAsync("sizes", UnitKind.Example, new TrainingPlan(3, SamplingScheme.None), 1, 1e-5, 1);

        await Assert.ThrowsAsync<ArgumentException>(() => ChargedTask.OpenAsync(Client, task.Id, units[..4]));
        await Assert.ThrowsAsync<ArgumentException>(() => ChargedTask.OpenAsync(Client, task.Id, [.. units, "sizes-extra"]));
        await Assert.ThrowsAsync<ArgumentException>(() => ChargedTask.OpenAsync(Client, task.Id, [.. units[..4], units[0]]));
        Assert.Equal(0, (await ChargedTask.OpenAsync(Client, task.Id, units)).NextStep);
        Assert.Equal(0, (await Client.GetTaskAsync(task.Id)).NextStep); // nothing was charged by the refusals
    }
}
