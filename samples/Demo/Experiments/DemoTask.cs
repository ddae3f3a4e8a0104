using Accounting.Accountant.Contracts;
using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Events;
using Accounting.TrainerAdapters.Aggregation;

namespace Accounting.Demo.Experiments;

/// <summary>What both experiments do on the service before training: budgets, a cohort of their units, a task.</summary>
internal static class DemoTask
{
    /// <summary>Each unit's lifetime budget; a task's quota is a share of it, so one run does not use it all.</summary>
    public const double LifetimeEpsilon = 10;

    /// <summary>δ of budgets and quotas (below 1/n for every population here).</summary>
    public const double Delta = 1e-5;

    /// <summary>Each task's quota, at which the demo's runs stop.</summary>
    public const double TaskEpsilon = 8;

    /// <summary>
    /// The admin sets the unit kind's lifetime budget; the trainer enrols the units in a new cohort; the admin gives
    /// those in <paramref name="personalEpsilons"/> a smaller budget of their own; the trainer creates a calibrated task
    /// over them and opens it for training.
    /// </summary>
    public static async Task<ChargedTask> CreateAsync(
        DemoClients clients, string id, UnitKind kind, IReadOnlyList<string> units, TrainingPlan plan, double clipNorm,
        IReadOnlyDictionary<string, double>? personalEpsilons, CancellationToken cancellationToken)
    {
        await clients.Admin.SetDefaultBudgetAsync(
            kind, new BudgetDto(LifetimeEpsilon, Delta, null, "filter/v1", NeighbouringRelation.AddOrRemoveOne, kind), cancellationToken);
        await clients.Trainer.CreateCohortAsync(new CreateCohortRequest(id, kind, units), cancellationToken);
        foreach (var (unit, epsilon) in personalEpsilons ?? new Dictionary<string, double>())
        {
            await clients.Admin.SetUnitBudgetAsync(unit, new UnitBudgetRequest(epsilon, Delta, null), cancellationToken);
        }
        var task = await clients.Trainer.CreateTaskAsync(new CreateTaskRequest(
            id, kind, NeighbouringRelation.AddOrRemoveOne, plan, new EpsilonDeltaTarget(TaskEpsilon, Delta), clipNorm, Id: id),
            cancellationToken);
        return await ChargedTask.OpenAsync(clients.Trainer, task.Id, units, cancellationToken);
    }
}
