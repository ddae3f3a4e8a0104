using Accounting.TestSupport;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Accountant.Tests;

public class ConcurrencyTests
{
    private const int Clients = 32;
    private const int Steps = 40;
    private const double BudgetEpsilon = 3;

    [Fact]
    public async Task Thirty_two_concurrent_clients_on_overlapping_units_never_overspend_and_the_ledger_adds_up()
    {
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string>
        {
            ["Accountant__DefaultBudget__Epsilon"] = BudgetEpsilon.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var setup = new Api(service.CreateClient());
        var pool = Builders.UnitIds("p", 900);
        for (var c = 0; c < 8; c++)
        {
            await setup.CohortAsync($"c{c}", pool[(c * 100)..(c * 100 + 200)]); // each unit in one or two cohorts
        }
        var tasks = new List<string>();
        for (var t = 0; t < Clients; t++)
        {
            tasks.Add((await setup.DpSgdTaskAsync($"t{t}", $"c{t % 8}", steps: Steps, samplingRate: 0.2, epsilon: 1)).Id);
        }

        var charged = await Task.WhenAll(tasks.Select((task, t) => Task.Run(() => Drive(service, task, pool, seed: t))));

        // Units in two cohorts (eight tasks) run out of budget part way; the others see all their tasks through.
        Assert.True(charged.Sum() > Clients * Steps / 2, $"the clients charged {charged.Sum()} steps: {string.Join(",", charged)}");
        var totals = (await ExportFile.VerifiedTotalsAsync(setup.Client)).Units.ToDictionary(u => u.Id);
        var bounds = FilterCheck.Bounds(BudgetEpsilon, 1e-6, OrderGrids.Filter);
        var excludedSomewhere = 0;
        foreach (var id in pool)
        {
            var unit = await setup.UnitAsync(id);
            var spent = unit.Spent.Values();
            Assert.True(FilterCheck.WithinBudget(spent, bounds), $"{id} is over its budget");
            var recomputed = totals[id].Spent.Values();
            for (var i = 0; i < spent.Length; i++)
            {
                Assert.InRange(spent[i], recomputed[i] * (1 - 1e-12), recomputed[i] * (1 + 1e-12));
            }
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
    private static async Task<int> Drive(ServiceProcess service, string task, string[] pool, int seed)
    {
        using var api = new Api(service.CreateClient());
        var random = new Random(seed);
        var steps = 0;
        for (long step = 0; step < Steps; step++)
        {
            IReadOnlyList<UnitSensitivity>? factors = null;
            var cohort = int.Parse(task[1..], System.Globalization.CultureInfo.InvariantCulture) % 8;
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
