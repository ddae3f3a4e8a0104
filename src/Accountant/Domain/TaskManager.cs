using System.Text.Json;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Storage;
using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Accountant.Domain;

/// <summary>Creating (and calibrating), reading and closing tasks.</summary>
public sealed class TaskManager(IAccountingStore store, BudgetBook budgets, CurveCache curves, Ledger ledger, ICaller caller)
{
    /// <summary>The grid of calibration and quotas when a request names none.</summary>
    public static OrderGrid DefaultGrid => OrderGrids.DpAccounting;

    /// <summary>Validates the request, calibrates σ to the target from the plan alone, and stores the task.</summary>
    public async Task<TaskResponse> CreateAsync(CreateTaskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = request.Id is null ? $"task-{Guid.NewGuid():N}" : Ids.Require(request.Id, "id");
        var cohortId = Ids.Require(request.Cohort, "cohort");
        var grid = request.Grid is null ? DefaultGrid : BudgetBook.Grid(request.Grid, "grid");
        if (request.Plan is null)
        {
            throw ProblemException.Invalid("plan", "a plan is required");
        }
        if (request.Target is null)
        {
            throw ProblemException.Invalid("target", "a target is required");
        }
        if (!(double.IsFinite(request.ClipNorm) && request.ClipNorm > 0))
        {
            throw ProblemException.Invalid("clipNorm", "must be a finite number > 0");
        }
        if (!Enum.IsDefined(request.Relation))
        {
            throw ProblemException.Invalid("relation", "must be addOrRemoveOne or replaceOne");
        }
        // Public inputs only: the plan and the target, never any unit's history (SPEC §3).
        var calibration = NoiseCalibration.SmallestNoiseMultiplier(request.Plan, Shrunk(request.Target, request.Plan.Steps), grid, request.Relation);

        return await store.WriteAsync(session =>
        {
            if (session.GetTask(id) is not null)
            {
                throw ProblemException.ForField(ProblemKind.Conflict, "id", $"task '{id}' exists already");
            }
            var cohort = session.GetCohort(cohortId) ?? throw ProblemException.NotFound("cohort", cohortId);
            if (cohort.UnitKind != request.UnitKind)
            {
                throw ProblemException.Invalid("unitKind", $"cohort '{cohortId}' holds units of kind {Names.Of(cohort.UnitKind)}");
            }
            CheckBudgets(session, cohortId, request);
            ChargeProcessor.RequireSampledPopulation(session, cohortId, request.Plan);
            var now = ledger.Now;
            var row = new TaskRow(
                id, cohortId, request.UnitKind, request.Relation,
                JsonSerializer.Serialize(request.Plan, EventJson.Options), JsonSerializer.Serialize(request.Target, EventJson.Options),
                grid.Key, calibration.NoiseMultiplier, request.ClipNorm, calibration.Epsilon, TaskState.Planned, 0,
                new double[grid.Count], 0, now, now, caller.Actor);
            session.AddTask(row);
            ledger.Append(session, LedgerKinds.TaskCreated, id, new
            {
                task = id, cohort = cohortId, unitKind = request.UnitKind, relation = request.Relation, plan = request.Plan,
                target = request.Target, grid = grid.Key, noiseMultiplier = calibration.NoiseMultiplier, clipNorm = request.ClipNorm,
                plannedEpsilon = calibration.Epsilon, plannedRho = calibration.Rho,
            });
            return TaskProgress.Of(row).ToResponse(session, curves);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A task's calibration and progress; <c>nextStep</c> is where a resumed trainer continues.</summary>
    public Task<TaskResponse> GetAsync(string id, CancellationToken cancellationToken) =>
        store.ReadAsync(session => TaskProgress.Of(Find(session, id, caller)).ToResponse(session, curves), cancellationToken);

    /// <summary>Closes a planned or running task as completed or cancelled.</summary>
    public Task<TaskResponse> CloseAsync(string id, TaskState state, CancellationToken cancellationToken) =>
        store.WriteAsync(session =>
        {
            session.LockTask(id);
            var task = Find(session, id, caller);
            if (task.State is not (TaskState.Planned or TaskState.Running))
            {
                throw ProblemException.ForField(ProblemKind.TaskClosed, "state", $"task '{id}' is {Names.Of(task.State)} already");
            }
            var closed = task with { State = state, UpdatedAt = ledger.Now };
            session.UpdateTask(closed);
            ledger.Append(session, LedgerKinds.TaskStateChanged, id, new { task = id, state });
            return TaskProgress.Of(closed).ToResponse(session, curves);
        }, cancellationToken);

    /// <summary>Units excluded from the task, ascending by id, a page at a time.</summary>
    public Task<ExclusionsResponse> ExclusionsAsync(string id, string? after, int limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 100_000)
        {
            throw ProblemException.Invalid("limit", "must be between 1 and 100000");
        }
        return store.ReadAsync(session =>
        {
            Find(session, id, caller);
            var units = session.ExcludedUnits(id, after, limit);
            return new ExclusionsResponse(units, units.Count == limit ? units[^1] : null);
        }, cancellationToken);
    }

    /// <summary>
    /// The target the noise is calibrated to: the quota less the rounding that charging step by step adds over
    /// composing the plan at once (each of T upward additions may add an ulp, ≤ 2.3e-16·T relative), so that every
    /// planned step fits the quota when charged.
    /// </summary>
    public static PrivacyTarget Shrunk(PrivacyTarget target, long steps)
    {
        var slack = 1 - (1e-12 + 4e-16 * Math.Max(steps, 0));
        return target switch
        {
            EpsilonDeltaTarget t => t with { Epsilon = t.Epsilon * slack },
            ZcdpTarget t => t with { Rho = t.Rho * slack },
            _ => target,
        };
    }

    /// <summary>
    /// The task, if it is within the caller's reach: a trainer reaches only the tasks its key created. Any other task
    /// is "not found", as an unknown id is, so that a trainer cannot learn which ids exist.
    /// </summary>
    internal static TaskRow Find(IStoreSession session, string id, ICaller caller) =>
        session.GetTask(id) is { } task && (caller.ReachesAllTasks || task.Owner == caller.Actor)
            ? task
            : throw ProblemException.NotFound("task", id);

    // Every member's budget must protect the task's relation and unit kind, and a zCDP budget needs steps with a ρ.
    private void CheckBudgets(IStoreSession session, string cohortId, CreateTaskRequest request)
    {
        foreach (var budgetId in session.BudgetsInCohort(cohortId))
        {
            var budget = budgets.Get(session, budgetId);
            if (budget.Relation != request.Relation)
            {
                throw ProblemException.Invalid("relation", $"members of '{cohortId}' have budgets for {Names.Of(budget.Relation)}");
            }
            if (budget.UnitKind != request.UnitKind)
            {
                throw ProblemException.Invalid("unitKind", $"members of '{cohortId}' have budgets for units of kind {Names.Of(budget.UnitKind)}");
            }
            if (budget.IsZcdp && curves.Rho(request.Plan.StepEvent(1)) is null)
            {
                throw ProblemException.Invalid("plan.sampling", "members have zCDP budgets, which subsampled steps (no finite ρ) cannot charge");
            }
        }
    }
}
