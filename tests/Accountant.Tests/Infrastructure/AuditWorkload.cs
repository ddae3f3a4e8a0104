using Accounting.Accountant.Contracts;
using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Events;
using Accounting.TestSupport;

namespace Accounting.Accountant.Tests.Infrastructure;

/// <summary>
/// A service after a workload an auditor must follow entry by entry: tasks sharing units (so budgets run out and
/// exclude them), per-unit sensitivities, a unit with its own budget on another grid, a unit whose own budget equals
/// the default policy (so it shares the policy's budget and follows its later edit), members joining mid-task, an
/// event override, a zCDP policy with zCDP tasks, closed tasks, and units registered outside any cohort.
/// </summary>
public sealed class AuditWorkload : IAsyncLifetime
{
    private ServiceProcess? _service;

    /// <summary>Example units: w-00000 … w-00129 (w-00120 … w-00129 join cohort wb while task-b runs).</summary>
    public static string[] Examples { get; } = Builders.UnitIds("w", 130);

    /// <summary>User units (zCDP policy): wu-00000 … wu-00029.</summary>
    public static string[] Users { get; } = Builders.UnitIds("wu", 30);

    /// <summary>Client units registered in no cohort.</summary>
    public static string[] Clients { get; } = Builders.UnitIds("wc", 5);

    /// <summary>Every unit the workload names.</summary>
    public static IEnumerable<string> AllUnits => Examples.Concat(Users).Concat(Clients);

    /// <summary>Every task, with its cohort.</summary>
    public static IReadOnlyDictionary<string, string> Tasks { get; } = new Dictionary<string, string>
    {
        ["task-a"] = "wa",
        ["task-b"] = "wb",
        ["task-c"] = "wa",
        ["task-d"] = "wu",
        ["task-e"] = "wu",
    };

    /// <summary>The running service.</summary>
    public ServiceProcess Service => _service ?? throw new InvalidOperationException("not started");

    /// <summary>A client for the service.</summary>
    public Api NewApi() => new(Service.CreateClient());

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _service = await ServiceProcess.StartAsync(new Dictionary<string, string> { ["Accountant__DefaultBudget__Epsilon"] = "3" });
        using var api = NewApi();
        await api.PutAsync<BudgetDto>("v1/budgets/default/user", new BudgetDto(null, null, 1.0, "filter/v1", NeighbouringRelation.AddOrRemoveOne, UnitKind.User));
        await api.PostAsync<RegisterUnitsResponse>("v1/units", new RegisterUnitsRequest([Examples[5], Examples[6]]));
        await api.PutAsync<UnitResponse>($"v1/units/{Examples[5]}/budget", new UnitBudgetRequest(5, 1e-6, null, "dp-accounting/v1"));
        await api.PutAsync<UnitResponse>($"v1/units/{Examples[6]}/budget", new UnitBudgetRequest(3, 1e-6, null));
        await api.PostAsync<RegisterUnitsResponse>("v1/units", new RegisterUnitsRequest(Clients, UnitKind.Client));
        await api.CohortAsync("wa", Examples[..80]);
        await api.CohortAsync("wb", Examples[40..120]);

        await api.DpSgdTaskAsync("task-a", "wa", steps: 30, samplingRate: 0.1, epsilon: 2);
        for (var step = 0; step < 30; step++)
        {
            await api.ChargeAsync("task-a", step, step % 3 == 0 ? [new(Examples[1], 0.5), new(Examples[50], 0.3)] : null);
        }
        // An in-place edit of the example policy after spending (only ε, δ or ρ may change then).
        await api.PutAsync<BudgetDto>("v1/budgets/default/example", new BudgetDto(2.9, 1e-6, null, "filter/v1", NeighbouringRelation.AddOrRemoveOne, UnitKind.Example));

        await api.DpSgdTaskAsync("task-b", "wb", steps: 30, samplingRate: 0.1, epsilon: 2);
        for (var step = 0; step < 30; step++)
        {
            if (step == 10)
            {
                await api.PostAsync<AddMembersResponse>("v1/cohorts/wb/members", new AddMembersRequest(Examples[120..]));
            }
            await api.ChargeAsync("task-b", step, step % 2 == 0 ? [new(Examples[60], 0.5), new(Examples[110], 0.7)] : null);
        }

        await api.DpSgdTaskAsync("task-c", "wa", steps: 10, samplingRate: 0.1, epsilon: 1);
        for (var step = 0; step < 3; step++)
        {
            await api.ChargeAsync("task-c", step, privacyEvent: new GaussianEvent(20));
        }
        await api.PostAsync<TaskResponse>("v1/tasks/task-c/cancel", new { });

        await api.CohortAsync("wu", Users, UnitKind.User);
        foreach (var task in new[] { "task-d", "task-e" })
        {
            await api.PostAsync<TaskResponse>("v1/tasks", new CreateTaskRequest(
                "wu", UnitKind.User, NeighbouringRelation.AddOrRemoveOne, new TrainingPlan(10, SamplingScheme.None), new ZcdpTarget(0.6), 1.0, Id: task));
            for (var step = 0; step < 10; step++)
            {
                await api.ChargeAsync(task, step, [new(Users[3], 0.5)]);
            }
        }
        await api.PostAsync<TaskResponse>("v1/tasks/task-d/complete", new { });
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync().ConfigureAwait(false);
        }
    }
}
