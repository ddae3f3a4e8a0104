using System.Text.Json;
using Accounting.Accountant.Contracts;
using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Events;
using Accounting.TrainerAdapters.Client;
using Accounting.TrainerAdapters.Tests.Support;

namespace Accounting.TrainerAdapters.Tests.Client;

/// <summary>Each of the client's calls against the real service: what a user of the client gets back.</summary>
public sealed class AccountantClientEndpointTests : LiveAccountant
{
    [Fact]
    public async Task The_calculators_agree_with_each_other()
    {
        var gaussian = new GaussianEvent(4.045389);
        var epsilon = await Client.EpsilonAsync(new EpsilonRequest(gaussian, 1e-5));
        Assert.InRange(epsilon.Epsilon!.Value, 0.999, 1.0); // SPEC §6: σ = 4.045389 is (1, 1e-5)-DP by RDP

        var delta = await Client.DeltaAsync(new DeltaRequest(gaussian, epsilon.Epsilon.Value));
        Assert.InRange(delta.Delta, 0.99e-5, 1.0e-5 * (1 + 1e-9));

        var calibrated = await Client.CalibrateAsync(new CalibrateRequest(
            new TrainingPlan(2250, SamplingScheme.Poisson, 0.04), new EpsilonDeltaTarget(8, 1e-5)));
        Assert.InRange(calibrated.NoiseMultiplier, 1.4157, 1.4159); // SPEC §6: σ ≈ 1.4159
        Assert.InRange(calibrated.Epsilon!.Value, 7.99, 8);
    }

    [Fact]
    public async Task Budgets_units_and_cohorts_round_trip()
    {
        var policy = await Client.GetDefaultBudgetAsync(UnitKind.User);
        var raised = await Client.SetDefaultBudgetAsync(UnitKind.User, policy with { Epsilon = 12.5 });
        Assert.Equal(12.5, raised.Epsilon);
        Assert.Equal(12.5, (await Client.GetDefaultBudgetAsync(UnitKind.User)).Epsilon);

        Assert.Equal(new RegisterUnitsResponse(3, 0), await Client.RegisterUnitsAsync(new RegisterUnitsRequest(["u/1", "u/2", "u/3"], UnitKind.User)));
        Assert.Equal(new RegisterUnitsResponse(1, 2), await Client.RegisterUnitsAsync(new RegisterUnitsRequest(["u/2", "u/3", "u/4"], UnitKind.User)));
        Assert.Equal(12.5, (await Client.GetUnitAsync("u/1")).Budget.Epsilon); // the kind's policy, by its '/'-holding id

        var own = await Client.SetUnitBudgetAsync("u/2", new UnitBudgetRequest(2, 1e-6, null));
        Assert.Equal((2.0, 1e-6), (own.Budget.Epsilon!.Value, own.Budget.Delta!.Value));

        var cohort = await Client.CreateCohortAsync(new CreateCohortRequest("people", UnitKind.User, ["u/1"]));
        Assert.Equal(1, cohort.Members);
        Assert.Equal(new AddMembersResponse(2, 1, 3), await Client.AddMembersAsync("people", new AddMembersRequest(["u/1", "u/2", "u/3"])));
        Assert.Equal(3, (await Client.GetCohortAsync("people")).Members);
        Assert.Equal(["people"], (await Client.GetUnitAsync("u/3")).Cohorts);
    }

    [Fact]
    public async Task Tasks_are_completed_or_cancelled_and_then_take_no_charges()
    {
        await CohortAsync("closing", UnitKind.Example, 4);
        var plan = new TrainingPlan(10, SamplingScheme.Poisson, 0.5);
        var completed = await TaskAsync("closing", UnitKind.Example, plan, 4, 1e-5, 1.0);
        Assert.Equal(1, (await Client.ChargeAsync(completed.Id, 0)).NextStep);
        Assert.Equal(TaskState.Completed, (await Client.CompleteTaskAsync(completed.Id)).State);
        await Assert.ThrowsAsync<TaskClosedException>(() => Client.ChargeAsync(completed.Id, 1));

        var cancelled = await Client.CreateTaskAsync(new CreateTaskRequest(
            "closing", UnitKind.Example, NeighbouringRelation.AddOrRemoveOne, plan, new EpsilonDeltaTarget(4, 1e-5), 1.0, Id: "closing-cancelled"));
        Assert.Equal(TaskState.Cancelled, (await Client.CancelTaskAsync(cancelled.Id)).State);
        await Assert.ThrowsAsync<TaskClosedException>(() => Client.ChargeAsync(cancelled.Id, 0));
        await Assert.ThrowsAsync<TaskClosedException>(() => Client.CompleteTaskAsync(cancelled.Id));
    }

    [Fact]
    public async Task The_ledger_is_read_whole_or_filtered_and_ends_at_the_head()
    {
        var units = await CohortAsync("audited", UnitKind.Example, 3);
        var task = await TaskAsync("audited", UnitKind.Example, new TrainingPlan(10, SamplingScheme.Poisson, 0.5), 4, 1e-5, 1.0);
        await Client.ChargeAsync(task.Id, 0);
        await Client.ChargeAsync(task.Id, 1);

        var head = await Client.GetLedgerHeadAsync();
        var all = await LinesAsync(null);
        var last = JsonDocument.Parse(all[^1]).RootElement;
        Assert.Equal((head.Seq, head.Hash), (last.GetProperty("seq").GetInt64(), last.GetProperty("hash").GetString()));
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(Seq)); // the whole chain, in order

        var ofTask = await LinesAsync(new LedgerQuery(Task: task.Id));
        Assert.Equal(["taskCreated", "charge", "charge"], ofTask.Select(Kind));
        Assert.Equal(all.Where(l => Task(l) == task.Id), ofTask);
        Assert.Equal([head.Seq], (await LinesAsync(new LedgerQuery(After: head.Seq - 1))).Select(Seq));
        Assert.Empty(await LinesAsync(new LedgerQuery(From: DateTimeOffset.UtcNow.AddDays(1))));
        Assert.Empty(await LinesAsync(new LedgerQuery(To: DateTimeOffset.UtcNow.AddDays(-1))));
        var ofUnit = await LinesAsync(new LedgerQuery(Unit: units[0]));
        Assert.Contains(ofUnit, l => Kind(l) == "cohortCreated");
        Assert.Equal(2, ofUnit.Count(l => Kind(l) == "charge"));

        var csv = await LinesAsync(new LedgerQuery(Task: task.Id, Csv: true));
        Assert.Equal("seq,at,actor,kind,task,payload,prevHash,hash", csv[0]);
        Assert.StartsWith($"{Seq(ofTask[0])},", csv[1], StringComparison.Ordinal);
    }

    private async Task<List<string>> LinesAsync(LedgerQuery? query)
    {
        var lines = new List<string>();
        await foreach (var line in Client.LedgerAsync(query))
        {
            lines.Add(line);
        }
        return lines;
    }

    private static long Seq(string line) => JsonDocument.Parse(line).RootElement.GetProperty("seq").GetInt64();

    private static string? Kind(string line) => JsonDocument.Parse(line).RootElement.GetProperty("kind").GetString();

    private static string? Task(string line) =>
        JsonDocument.Parse(line).RootElement.TryGetProperty("task", out var task) && task.ValueKind == JsonValueKind.String ? task.GetString() : null;
}
