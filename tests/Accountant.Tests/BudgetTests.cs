using System.Net;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Accountant.Tests;

public class BudgetTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task An_unknown_unit_gets_no_budget_of_its_own_and_is_not_made_up()
    {
        using var api = fixture.NewApi();
        var missing = await Assert.ThrowsAsync<ApiProblemException>(() =>
            api.PutAsync<UnitResponse>("v1/units/never-registered/budget", new UnitBudgetRequest(0.5, 1e-6, null)));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.Status);
        var stillMissing = await Assert.ThrowsAsync<ApiProblemException>(() => api.UnitAsync("never-registered"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, stillMissing.Status);
    }

    [Fact]
    public async Task A_unit_with_its_own_smaller_budget_is_excluded_first_and_never_overspends()
    {
        using var api = fixture.NewApi();
        var units = Builders.UnitIds("own", 20);
        await api.CohortAsync("own", units);
        var unit = await api.PutAsync<UnitResponse>($"v1/units/{units[3]}/budget", new UnitBudgetRequest(0.5, 1e-6, null));
        Assert.Equal(0.5, unit.Budget.Epsilon);
        var task = await api.DpSgdTaskAsync("own-task", "own", steps: 100, samplingRate: 0.1, epsilon: 3);

        var excludedAt = -1L;
        for (var step = 0; step < 100; step++)
        {
            var charge = await api.ChargeAsync(task.Id, step);
            if (charge.ExcludedUnits.Count > 0)
            {
                Assert.Equal([units[3]], charge.ExcludedUnits);
                excludedAt = step;
                break;
            }
        }
        Assert.True(excludedAt >= 0, "the unit with ε = 0.5 runs out during a task planned for ε = 3");
        var spent = (await api.UnitAsync(units[3])).Spent.Values();
        Assert.True(FilterCheck.WithinBudget(spent, FilterCheck.Bounds(0.5, 1e-6, OrderGrids.Filter)));
        var task2 = await api.TaskAsync(task.Id);
        Assert.Equal(19, task2.ParticipatingUnits);
        Assert.Contains("unitBudgetSet", await api.Client.GetStringAsync("v1/audit/ledger"));
    }

    [Fact]
    public async Task Each_unit_kind_has_its_own_default_policy_and_a_spent_grid_cannot_change()
    {
        using var api = fixture.NewApi();
        var clients = await api.GetAsync<BudgetDto>("v1/budgets/default/client");
        Assert.Equal(UnitKind.Client, clients.UnitKind);
        var tighter = await api.PutAsync<BudgetDto>("v1/budgets/default/client", clients with { Epsilon = 2 });
        Assert.Equal(2, tighter.Epsilon);
        Assert.Equal(8, (await api.GetAsync<BudgetDto>("v1/budgets/default/example")).Epsilon);

        await api.CohortAsync("kind-clients", Builders.UnitIds("kc", 3), UnitKind.Client);
        Assert.Equal(2, (await api.UnitAsync("kc-00000")).Budget.Epsilon);
        var task = await api.PostAsync<TaskResponse>("v1/tasks", new CreateTaskRequest(
            "kind-clients", UnitKind.Client, NeighbouringRelation.AddOrRemoveOne,
            new Mechanisms.Calibration.TrainingPlan(10, Mechanisms.Calibration.SamplingScheme.Poisson, 0.5),
            new Mechanisms.Calibration.EpsilonDeltaTarget(1, 1e-5), 1, Id: "kind-task"));
        await api.ChargeAsync(task.Id, 0);
        var regrid = await Assert.ThrowsAsync<ApiProblemException>(() =>
            api.PutAsync<BudgetDto>("v1/budgets/default/client", tighter with { Grid = "dp-accounting/v1" }));
        Assert.Equal(HttpStatusCode.Conflict, regrid.Status);
        Assert.Equal(["grid"], regrid.Fields);
        // An example may not join a cohort of clients.
        await api.CohortAsync("kind-examples", ["kind-example"]);
        var mixed = await Assert.ThrowsAsync<ApiProblemException>(() =>
            api.PostAsync<AddMembersResponse>("v1/cohorts/kind-clients/members", new AddMembersRequest(["kind-example"])));
        Assert.Equal(["units"], mixed.Fields);
    }

    [Fact]
    public async Task A_default_grid_changed_before_any_spending_carries_its_registered_units_to_the_new_grid()
    {
        using var api = fixture.NewApi();
        await api.CohortAsync("regrid", Builders.UnitIds("rg", 3), UnitKind.Task);
        var policy = await api.GetAsync<BudgetDto>("v1/budgets/default/task");
        var other = OrderGrids.All.First(g => g.Key != policy.Grid);
        await api.PutAsync<BudgetDto>("v1/budgets/default/task", policy with { Grid = other.Key });

        var unit = await api.UnitAsync("rg-00000");
        Assert.Equal(other.Key, unit.Budget.Grid);
        Assert.Equal(other.Orders, unit.Spent.Orders); // its (zero) curve is on the new grid
        var task = await api.PostAsync<TaskResponse>("v1/tasks", new CreateTaskRequest(
            "regrid", UnitKind.Task, NeighbouringRelation.AddOrRemoveOne,
            new Mechanisms.Calibration.TrainingPlan(10, Mechanisms.Calibration.SamplingScheme.Poisson, 0.5),
            new Mechanisms.Calibration.EpsilonDeltaTarget(1, 1e-5), 1, Id: "regrid-task"));
        Assert.Equal(3, (await api.ChargeAsync(task.Id, 0)).ParticipatingUnits);
        Assert.True((await api.UnitAsync("rg-00001")).Spent.Values().All(v => v > 0)); // and it is charged there
    }

    [Theory]
    [InlineData("complete", TaskState.Completed)]
    [InlineData("cancel", TaskState.Cancelled)]
    public async Task A_closed_task_takes_no_more_charges(string action, TaskState state)
    {
        using var api = fixture.NewApi();
        await api.CohortAsync($"close-{action}", Builders.UnitIds($"cl{action}", 3));
        var task = await api.DpSgdTaskAsync($"close-{action}-task", $"close-{action}", steps: 10, samplingRate: 0.1, epsilon: 3);
        await api.ChargeAsync(task.Id, 0);
        var closed = await api.PostAsync<TaskResponse>($"v1/tasks/{task.Id}/{action}", new { });
        Assert.Equal(state, closed.State);
        var refused = await Assert.ThrowsAsync<ApiProblemException>(() => api.ChargeAsync(task.Id, 1));
        Assert.Equal("urn:accounting:problem:task-closed", refused.Type);
        Assert.Equal(1, (await api.TaskAsync(task.Id)).NextStep);
    }
}
