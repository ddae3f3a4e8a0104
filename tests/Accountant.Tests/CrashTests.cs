using Accounting.Accountant.Contracts;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.Mechanisms.Rdp;
using Accounting.TestSupport;

namespace Accounting.Accountant.Tests;

/// <summary>
/// kill -9 during a charge load: nothing acknowledged is lost, a client's retry of an unanswered charge is charged at
/// most once (whether it names its step or only its Idempotency-Key), and no unit ends over its budget.
/// </summary>
public class CrashTests
{
    private const int Clients = 16;
    private const int Steps = 60;
    private const double BudgetEpsilon = 3;

    /// <summary>The budget every unit gets.</summary>
    internal static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Accountant__DefaultBudget__Epsilon"] = BudgetEpsilon.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Killing_the_service_twice_under_load_loses_no_acknowledged_charge_and_doubles_none()
    {
        await using var service = await ServiceProcess.StartAsync(Settings);
        await KillUnderLoadAsync([service]);
    }

    /// <summary>
    /// Runs the charge load through <paramref name="services"/> (replicas on one database, started with
    /// <see cref="Settings"/>), trainer t through service t mod n, kills the first twice while charges are in flight
    /// and starts it again, then checks the books.
    /// </summary>
    internal static async Task KillUnderLoadAsync(IReadOnlyList<ServiceProcess> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var service = services[0];
        using (var setup = new Api(service.CreateClient()))
        {
            var pool = Builders.UnitIds("k", 500);
            for (var c = 0; c < 4; c++)
            {
                await setup.CohortAsync($"k{c}", pool[(c * 100)..(c * 100 + 200)]); // each unit in one or two cohorts
            }
            for (var t = 0; t < Clients; t++)
            {
                await setup.DpSgdTaskAsync($"kt{t}", $"k{t % 4}", steps: Steps, samplingRate: 0.2, epsilon: 1.2);
            }
        }

        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<(string Task, long Step), AcknowledgedCharge>();
        var trainers = Enumerable.Range(0, Clients)
            .Select(t => Task.Run(() => TrainAsync(services[t % services.Count], $"kt{t}", acknowledged))).ToArray();
        for (var kill = 1; kill <= 2; kill++)
        {
            // Kill once the load is well under way, while charges are in flight, and start again on the same database.
            while (acknowledged.Count < kill * Clients * Steps / 4 && !trainers.All(t => t.IsCompleted))
            {
                await Task.Delay(5);
            }
            Assert.True(trainers.Any(t => !t.IsCompleted), $"the load had ended before kill {kill}");
            service.Kill();
            await service.StartAgainAsync();
        }
        await Task.WhenAll(trainers);

        using var api = new Api(service.CreateClient());
        await LedgerCharges.AssertEachAcknowledgedOnceAsync(api, acknowledged);
        // The verifier's totals from the (hash-checked) export equal the service's, and no unit is over its budget.
        await TotalsCheck.AssertServiceAgreesAsync(api, await ExportFile.VerifiedTotalsAsync(api.Client));
        var bounds = FilterCheck.Bounds(BudgetEpsilon, 1e-6, OrderGrids.Filter);
        foreach (var id in Builders.UnitIds("k", 500))
        {
            Assert.True(FilterCheck.WithinBudget((await api.UnitAsync(id)).Spent.Values(), bounds), $"{id} is over its budget");
        }
        Assert.True(acknowledged.Count >= Clients * Steps / 2, $"only {acknowledged.Count} charges were acknowledged");
    }

    // A trainer that retries an unanswered charge with the same request until the service answers it: half of them name
    // the step, as the adapters do; the others send only an Idempotency-Key and take the step the service answers with,
    // so that only the key stands between a retry and a second charge. Half of each give 40 of their members their own
    // sensitivity at every step (on SQLite, these units' deltas wait in the writer's memory and log when it is killed).
    private static async Task TrainAsync(
        ServiceProcess service, string task, System.Collections.Concurrent.ConcurrentDictionary<(string, long), AcknowledgedCharge> acknowledged)
    {
        var index = int.Parse(task[2..], System.Globalization.CultureInfo.InvariantCulture);
        var byKey = index % 2 == 1;
        var members = index % 4 >= 2 ? Builders.UnitIds("k", 40, index % 4 * 100) : [];
        for (long step = 0; step < Steps; step++)
        {
            UnitSensitivity[]? sensitivities = members.Length == 0 ? null
                : [.. members.Select((unit, i) => new UnitSensitivity(unit, 0.1 + 0.09 * ((i + step) % 10)))];
            while (true)
            {
                try
                {
                    using var api = new Api(service.CreateClient());
                    var answer = byKey
                        ? await api.PostAsync<ChargeResponse>($"v1/tasks/{task}/charges", new ChargeRequest(Sensitivities: sensitivities), $"{task}-charge-{step}")
                        : await api.ChargeAsync(task, step, sensitivities);
                    acknowledged[(task, answer.Step)] = new(answer, sensitivities);
                    if (answer.State == TaskState.Exhausted)
                    {
                        return;
                    }
                    break;
                }
                catch (ApiProblemException problem) when (problem.Type is "urn:accounting:problem:quota-exhausted" or "urn:accounting:problem:task-closed")
                {
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ObjectDisposedException)
                {
                    await Task.Delay(20); // the service is down or restarting: ask again, same step
                }
            }
        }
    }
}
