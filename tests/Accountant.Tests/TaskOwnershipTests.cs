using System.Net;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Tests.Infrastructure;

namespace Accounting.Accountant.Tests;

/// <summary>Trainers reach only their own tasks; auditors read but never charge; per-unit budgets are for admins and auditors.</summary>
public class TaskOwnershipTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task A_trainer_cannot_read_charge_complete_cancel_or_list_exclusions_of_another_trainers_task()
    {
        using var admin = fixture.NewApi();
        using var owner = fixture.Service.As((await admin.CreateKeyAsync("owner", KeyRole.Trainer)).Key);
        using var other = fixture.Service.As((await admin.CreateKeyAsync("other", KeyRole.Trainer)).Key);
        await owner.CohortAsync("owned", Builders.UnitIds("owned", 10));
        var task = await owner.DpSgdTaskAsync("owned-task", "owned", steps: 10, samplingRate: 0.1, epsilon: 2);

        foreach (var (method, path, body) in TaskCalls(task.Id))
        {
            var (status, problem, _) = await other.RawAsync(method, path, body);
            // The same answer as for a task that does not exist: the other trainer learns nothing about the id.
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal("urn:accounting:problem:not-found", problem.GetProperty("type").GetString());
            var (unknown, _, _) = await other.RawAsync(method, path.Replace(task.Id, "no-such-task", StringComparison.Ordinal), body);
            Assert.Equal(HttpStatusCode.NotFound, unknown);
        }
        var untouched = await admin.TaskAsync(task.Id);
        Assert.Equal((0, TaskState.Planned), (untouched.NextStep, untouched.State));

        // The owner, and an admin, reach it.
        Assert.Equal(1, (await owner.ChargeAsync(task.Id, 0)).NextStep);
        Assert.Equal(2, (await admin.ChargeAsync(task.Id, 1)).NextStep);
        Assert.Empty((await owner.GetAsync<ExclusionsResponse>($"v1/tasks/{task.Id}/exclusions")).Units);
        Assert.Equal(TaskState.Completed, (await owner.PostAsync<TaskResponse>($"v1/tasks/{task.Id}/complete", new { })).State);
    }

    [Fact]
    public async Task An_auditor_reads_every_task_but_cannot_charge_complete_or_cancel()
    {
        using var admin = fixture.NewApi();
        using var trainer = fixture.Service.As((await admin.CreateKeyAsync("audited trainer", KeyRole.Trainer)).Key);
        using var auditor = fixture.Service.As((await admin.CreateKeyAsync("auditor", KeyRole.Auditor)).Key);
        await trainer.CohortAsync("audited", Builders.UnitIds("audited", 10));
        var task = await trainer.DpSgdTaskAsync("audited-task", "audited", steps: 10, samplingRate: 0.1, epsilon: 2);
        await trainer.ChargeAsync(task.Id, 0);

        Assert.Equal(1, (await auditor.TaskAsync(task.Id)).NextStep);
        Assert.Empty((await auditor.GetAsync<ExclusionsResponse>($"v1/tasks/{task.Id}/exclusions")).Units);
        foreach (var (method, path, body) in TaskCalls(task.Id).Where(c => c.Method == HttpMethod.Post))
        {
            var (status, problem, _) = await auditor.RawAsync(method, path, body);
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal("urn:accounting:problem:forbidden", problem.GetProperty("type").GetString());
        }
        var after = await admin.TaskAsync(task.Id);
        Assert.Equal((1, TaskState.Running), (after.NextStep, after.State));
    }

    [Fact]
    public async Task Per_unit_budgets_and_spend_are_visible_to_admins_and_auditors_only()
    {
        using var admin = fixture.NewApi();
        using var trainer = fixture.Service.As((await admin.CreateKeyAsync("curious trainer", KeyRole.Trainer)).Key);
        using var auditor = fixture.Service.As((await admin.CreateKeyAsync("unit auditor", KeyRole.Auditor)).Key);
        await trainer.CohortAsync("visible", Builders.UnitIds("visible", 3));
        await admin.PutAsync<UnitResponse>("v1/units/visible-00001/budget", new UnitBudgetRequest(2, 1e-6, null));

        Assert.Equal(2, (await admin.UnitAsync("visible-00001")).Budget.Epsilon);
        Assert.Equal(2, (await auditor.UnitAsync("visible-00001")).Budget.Epsilon);
        Assert.Equal(HttpStatusCode.Forbidden, (await trainer.RawAsync(HttpMethod.Get, "v1/units/visible-00001", null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await trainer.RawAsync(HttpMethod.Get, "v1/budgets/default/example", null)).Status);
        foreach (var caller in new[] { trainer, auditor })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await caller.RawAsync(HttpMethod.Put, "v1/units/visible-00001/budget", """{"epsilon": 50, "delta": 1e-6}""")).Status);
        }
        Assert.Equal(2, (await admin.UnitAsync("visible-00001")).Budget.Epsilon);
    }

    private static (HttpMethod Method, string Path, string? Body)[] TaskCalls(string task) =>
    [
        (HttpMethod.Get, $"v1/tasks/{task}", null),
        (HttpMethod.Post, $"v1/tasks/{task}/charges", """{"step": 0}"""),
        (HttpMethod.Post, $"v1/tasks/{task}/complete", null),
        (HttpMethod.Post, $"v1/tasks/{task}/cancel", null),
        (HttpMethod.Get, $"v1/tasks/{task}/exclusions", null),
    ];
}
