using System.Collections.Concurrent;
using Accounting.TestSupport;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Accountant.Tests;

public class ConcurrencyTests
{
    private const int Steps = 40;
    private const double BudgetEpsilon = 3;

    /// <summary>The budget every unit gets.</summary>
    internal static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Accountant__DefaultBudget__Epsilon"] = BudgetEpsilon.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Thirty_two_concurrent_clients_on_overlapping_units_never_overspend_and_the_ledger_adds_up()
    {
        await using var service = await ServiceProcess.StartAsync(Settings);
        await ChargeConcurrentlyAsync([service], clients: 32);
    }

    /// <summary>
    /// Four tasks on one cohort where all members but one have their own (low) sensitivity at every step: once the
    /// group is over budget, the one without is excluded and each step moves the others, all members of their group,
    /// to a new group and deletes the old one, while the next task's charge waits for that group. Every member must
    /// still pay every step.
    /// </summary>
    [Fact]
    public async Task Concurrent_tasks_whose_steps_each_move_a_whole_group_of_per_unit_members_charge_every_member()
    {
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string> { ["Accountant__DefaultBudget__Epsilon"] = "1.5" });
        using var setup = new Api(service.CreateClient());
        var members = Builders.UnitIds("w", 40);
        await setup.CohortAsync("w", [.. members, "w-control"]);
        string[] tasks = ["w0", "w1", "w2", "w3"];
        foreach (var task in tasks)
        {
            await setup.DpSgdTaskAsync(task, "w", steps: Steps, samplingRate: 0.2, epsilon: 1);
        }

        await Task.WhenAll(tasks.Select(task => Task.Run(async () =>
        {
            using var api = new Api(service.CreateClient());
            for (long step = 0; step < Steps; step++)
            {
                // Factors below 1 (so that every member keeps a delta of its own), different from step to step.
                UnitSensitivity[] factors = [.. members.Select((unit, i) => new UnitSensitivity(unit, 0.1 + 0.09 * ((i + step) % 10)))];
                if ((await api.ChargeAsync(task, step, factors)).State == TaskState.Exhausted)
                {
                    return;
                }
            }
        })));

        await TotalsCheck.AssertServiceAgreesAsync(setup, await ExportFile.VerifiedTotalsAsync(setup.Client));
        Assert.Contains((await setup.UnitAsync("w-control")).Tasks, t => t.ExcludedAtStep is not null); // the group was refused
        foreach (var id in members)
        {
            var unit = await setup.UnitAsync(id);
            Assert.Equal(tasks.Length, unit.Tasks.Count);
            Assert.All(unit.Tasks, t => Assert.True(t.ExcludedAtStep is null && t.LastStep == Steps - 1, $"{id} in {t.TaskId}: {t}"));
        }
    }

    /// <summary>
    /// <paramref name="clients"/> trainers (a multiple of 4) charge a task each, trainer t through service t mod n
    /// (replicas on one database, started with <see cref="Settings"/>), on cohorts of 200 units that overlap their
    /// neighbours by 100, four tasks a cohort; then no unit is over its budget, the verifier's totals from the export
    /// are the service's, and every acknowledged charge is in the ledger once.
    /// </summary>
    internal static async Task ChargeConcurrentlyAsync(IReadOnlyList<ServiceProcess> services, int clients)
    {
        ArgumentNullException.ThrowIfNull(services);
        using var setup = new Api(services[0].CreateClient());
        var cohorts = clients / 4;
        var pool = Builders.UnitIds("p", cohorts * 100 + 100);
        for (var c = 0; c < cohorts; c++)
        {
            await setup.CohortAsync($"c{c}", pool[(c * 100)..(c * 100 + 200)]); // each unit in one or two cohorts
        }
        var tasks = new List<string>();
        for (var t = 0; t < clients; t++)
        {
            tasks.Add((await setup.DpSgdTaskAsync($"t{t}", $"c{t % cohorts}", steps: Steps, samplingRate: 0.2, epsilon: 1)).Id);
        }

        var acknowledged = new ConcurrentDictionary<(string Task, long Step), AcknowledgedCharge>();
        var charged = await Task.WhenAll(tasks.Select((task, t) =>
            Task.Run(() => Drive(services[t % services.Count], task, t % cohorts, pool, acknowledged, seed: t))));

        // Units in two cohorts (eight tasks) run out of budget part way; the others see all their tasks through.
        Assert.True(charged.Sum() > clients * Steps / 2, $"the clients charged {charged.Sum()} steps: {string.Join(",", charged)}");
        await TotalsCheck.AssertServiceAgreesAsync(setup, await ExportFile.VerifiedTotalsAsync(setup.Client));
        await LedgerCharges.AssertEachAcknowledgedOnceAsync(setup, acknowledged);
        var bounds = FilterCheck.Bounds(BudgetEpsilon, 1e-6, OrderGrids.Filter);
        var excludedSomewhere = 0;
        foreach (var id in pool)
        {
            var unit = await setup.UnitAsync(id);
            Assert.True(FilterCheck.WithinBudget(unit.Spent.Values(), bounds), $"{id} is over its budget");
            excludedSomewhere += unit.Tasks.Any(t => t.ExcludedAtStep is not null) ? 1 : 0;
        }
        Assert.True(excludedSomewhere > 0, "budgets ran out for some units, so the filters were exercised");
        foreach (var task in tasks)
        {
            var state = await setup.TaskAsync(task);
            Assert.True(state.Spent.Epsilon <= 1);
        }
    }

    // One trainer: charges its task step by step (with a few per-unit sensitivities, and a retry now and then that
    // must return the same answer) until the quota refuses or the task ends.
    private static async Task<int> Drive(
        ServiceProcess service, string task, int cohort, string[] pool, ConcurrentDictionary<(string, long), AcknowledgedCharge> acknowledged, int seed)
    {
        using var api = new Api(service.CreateClient());
        var random = new Random(seed);
        var steps = 0;
        for (long step = 0; step < Steps; step++)
        {
            IReadOnlyList<UnitSensitivity>? factors = null;
            if (random.Next(3) == 0)
            {
                factors = [new UnitSensitivity(pool[cohort * 100 + random.Next(200)], Math.Round(random.NextDouble(), 3))];
            }
            ChargeResponse answer;
            try
            {
                answer = await api.ChargeAsync(task, step, factors);
            }
            catch (ApiProblemException problem) when (problem.Type is "urn:accounting:problem:quota-exhausted" or "urn:accounting:problem:task-closed")
            {
                return steps;
            }
            acknowledged[(task, step)] = new(answer, factors);
            steps++;
            if (random.Next(10) == 0)
            {
                var again = await api.ChargeAsync(task, step, factors);
                Assert.Equal(answer.TaskSpent, again.TaskSpent);
                Assert.Equal(answer.ExcludedUnits, again.ExcludedUnits);
            }
            if (answer.State == TaskState.Exhausted)
            {
                return steps;
            }
        }
        return steps;
    }
}
