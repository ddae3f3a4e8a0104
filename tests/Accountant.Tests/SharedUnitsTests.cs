using Accounting.TestSupport;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Accountant.Tests;

public class SharedUnitsTests
{
    // Units get ε = 3 for life; each task alone would take them to about two thirds of it.
    private static readonly Dictionary<string, string> SmallBudgets = new() { ["Accountant__DefaultBudget__Epsilon"] = "3" };

    [Fact]
    public async Task A_second_task_loses_the_shared_units_to_their_lifetime_budget_and_keeps_the_rest()
    {
        await using var service = await ServiceProcess.StartAsync(SmallBudgets);
        using var api = new Api(service.CreateClient());
        var first = Builders.UnitIds("u", 100);            // u-00000 … u-00099
        var second = Builders.UnitIds("u", 100, start: 50); // u-00050 … u-00149: half shared
        await api.CohortAsync("first", first);
        await api.CohortAsync("second", second);

        var a = await api.DpSgdTaskAsync("task-a", "first", steps: 100, samplingRate: 0.1, epsilon: 2);
        for (var step = 0; step < 100; step++)
        {
            Assert.Empty((await api.ChargeAsync(a.Id, step)).ExcludedUnits);
        }

        var b = await api.DpSgdTaskAsync("task-b", "second", steps: 100, samplingRate: 0.1, epsilon: 2);
        var excluded = new HashSet<string>();
        var excludedAt = new Dictionary<string, double[]>();
        for (var step = 0; step < 100; step++)
        {
            var charge = await api.ChargeAsync(b.Id, step);
            foreach (var unit in charge.ExcludedUnits)
            {
                Assert.True(excluded.Add(unit), $"{unit} excluded twice");
                excludedAt[unit] = (await api.UnitAsync(unit)).Spent.Values();
            }
            Assert.Equal(100 - excluded.Count, charge.ParticipatingUnits);
        }

        // Exactly the shared units are cut off; the others ran every step of task b.
        Assert.Equal(first.Intersect(second).Order(), excluded.Order());
        var bounds = FilterCheck.Bounds(3, 1e-6, OrderGrids.Filter);
        foreach (var unit in first.Union(second))
        {
            var spent = (await api.UnitAsync(unit)).Spent.Values();
            Assert.True(FilterCheck.WithinBudget(spent, bounds), $"{unit} is over its budget");
            if (excludedAt.TryGetValue(unit, out var atExclusion))
            {
                Assert.Equal(atExclusion, spent); // nothing was charged after the exclusion
            }
        }
        var taskB = await api.TaskAsync(b.Id);
        Assert.Equal(50, taskB.ExcludedUnits);
        Assert.Equal(50, taskB.ParticipatingUnits);
        var page = await api.GetAsync<Contracts.ExclusionsResponse>($"v1/tasks/{b.Id}/exclusions?limit=30");
        var rest = await api.GetAsync<Contracts.ExclusionsResponse>($"v1/tasks/{b.Id}/exclusions?limit=30&after={page.Next}");
        Assert.Equal(excluded.Order(), page.Units.Concat(rest.Units));
        Assert.Null(rest.Next);
    }
}
