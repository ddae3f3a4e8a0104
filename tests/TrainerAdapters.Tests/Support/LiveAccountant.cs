using Accounting.Accountant.Contracts;
using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Events;
using Accounting.TestSupport;
using Accounting.TrainerAdapters.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Accounting.TrainerAdapters.Tests.Support;

/// <summary>
/// Base of the driver tests: the real service in its own process, one per test class, and a typed client for it.
/// Tests in a class share the service, so each names its own cohort and task.
/// </summary>
public abstract class LiveAccountant : IAsyncLifetime
{
    private ServiceProcess? _service;
    private ServiceProvider? _provider;

    /// <summary>The client every driver under test talks through.</summary>
    protected AccountantClient Client => _provider!.GetRequiredService<AccountantClient>();

    public async Task InitializeAsync()
    {
        _service = await ServiceProcess.StartAsync();
        var services = new ServiceCollection();
        services.AddAccountantClient(_service.BaseAddress, _service.AdminKey);
        _provider = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }

    /// <summary>Creates cohort <paramref name="name"/> of <paramref name="count"/> new units and returns their ids in index order.</summary>
    protected async Task<string[]> CohortAsync(string name, UnitKind kind, int count)
    {
        string[] members = [.. Enumerable.Range(0, count).Select(i => $"{name}-{i}")];
        await Client.CreateCohortAsync(new CreateCohortRequest(name, kind, members));
        return members;
    }

    /// <summary>Gives each listed unit its own lifetime (ε, δ) budget (after the cohort registered it with its kind).</summary>
    protected async Task SetBudgetsAsync(IEnumerable<string> units, double epsilon, double delta = 1e-6)
    {
        foreach (var unit in units)
        {
            await Client.SetUnitBudgetAsync(unit, new UnitBudgetRequest(epsilon, delta, null));
        }
    }

    /// <summary>Creates task <c>{cohort}-task</c> on the cohort under add/remove-one neighbours.</summary>
    protected Task<TaskResponse> TaskAsync(string cohort, UnitKind kind, TrainingPlan plan, double epsilon, double delta, double clipNorm) =>
        Client.CreateTaskAsync(new CreateTaskRequest(
            cohort, kind, NeighbouringRelation.AddOrRemoveOne, plan, new EpsilonDeltaTarget(epsilon, delta), clipNorm, Id: $"{cohort}-task"));
}
