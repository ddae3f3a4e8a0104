using System.Diagnostics;
using System.Text.Json;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Metrics;
using Accounting.Accountant.Storage;
using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Conversion;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;
using Microsoft.Extensions.Options;

namespace Accounting.Accountant.Domain;

/// <summary>
/// Charges one private update before it is made, atomically: the task's quota must admit the whole step (else 409);
/// then every participating unit's individual filter decides whether it pays or is excluded (never an error for the
/// step). Units in identical state form a group and are decided once; only units with their own delta (from
/// individual sensitivity) are decided one by one, and only when their group is refused — the filter is monotone, so
/// a unit below an admitted group's curve is admitted too.
/// </summary>
public sealed class ChargeProcessor(
    IAccountingStore store, BudgetBook budgets, CurveCache curves, Ledger ledger, ICaller caller, AccountingMetrics metrics,
    IOptions<AccountantOptions> options)
{
    /// <summary>Longest Idempotency-Key accepted.</summary>
    public const int MaxKeyLength = 256;

    /// <summary>Charges the step (or replays the answer to an earlier identical request).</summary>
    public async Task<ChargeOutcome> ChargeAsync(string taskId, ChargeRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var prepared = PreparedCharge.Of(request, idempotencyKey); // its write has run, or never will, once awaited
        var started = Stopwatch.GetTimestamp();
        try
        {
            var outcome = await store.WriteAsync(
                session => Charge(session, taskId, request, idempotencyKey, prepared), cancellationToken).ConfigureAwait(false);
            if (outcome.Refusal is { } refusal)
            {
                throw refusal;
            }
            if (!outcome.Replayed)
            {
                metrics.ChargeGranted(outcome.Response!.NewlyExcluded); // a granted outcome always carries its answer
            }
            return outcome;
        }
        catch (ProblemException problem)
        {
            metrics.ChargeRefused(problem.Kind);
            throw;
        }
        finally
        {
            metrics.ChargeTook(Stopwatch.GetElapsedTime(started));
        }
    }

    private ChargeOutcome Charge(IStoreSession session, string taskId, ChargeRequest request, string? key, PreparedCharge prepared)
    {
        session.LockTask(taskId);
        var task = TaskManager.Find(session, taskId, caller);
        if (key is not null && session.GetChargeByKey(taskId, key) is { } byKey)
        {
            return Replay(byKey, prepared, request.Step ?? byKey.Step, "Idempotency-Key");
        }
        var step = request.Step ?? task.NextStep;
        if (step < task.NextStep)
        {
            return Replay(session.GetCharge(taskId, step)!, prepared, step, "step"); // every step below next was charged
        }
        if (step > task.NextStep)
        {
            throw ProblemException.ForField(ProblemKind.StepConflict, "step", $"the task's next step is {task.NextStep}");
        }
        if (task.State is not (TaskState.Planned or TaskState.Running))
        {
            throw ProblemException.ForField(ProblemKind.TaskClosed, "step", $"task '{taskId}' is {Names.Of(task.State)} and takes no charges");
        }

        session.LockCohort(task.CohortId, exclusive: false); // its members stay put until commit
        var progress = TaskProgress.Of(task);
        if (request.Event is null)
        {
            RequireSampledPopulation(session, task.CohortId, progress.Plan);
        }
        var privacyEvent = request.Event ?? progress.StepEvent;
        var taskCost = curves.Curve(privacyEvent, progress.Grid, task.Relation); // validates the event under the relation
        var stepRho = curves.Rho(privacyEvent);
        var charged = task with
        {
            Spent = Curves.Plus(task.Spent, taskCost),
            SpentRho = task.SpentRho is { } rho && stepRho is { } r ? Upward.Add(rho, r) : null,
        };
        var after = progress.With(charged);
        if (QuotaRefusal(after, step) is { } refusal)
        {
            if (request.Event is null)
            {
                // The plan's own step no longer fits: the task cannot go on as planned.
                session.UpdateTask(task with { State = TaskState.Exhausted, UpdatedAt = ledger.Now });
                ledger.Append(session, LedgerKinds.TaskStateChanged, taskId, new { task = taskId, state = TaskState.Exhausted, reason = refusal.Message });
            }
            return new ChargeOutcome(null, false, refusal);
        }

        var groups = session.GroupsCharged(task.CohortId, taskId); // locked first: the units read next stay in them
        var units = Resolve(session, task, prepared);
        var filter = new StepFilter(session, budgets, curves, privacyEvent, task, step, units);
        foreach (var group in groups)
        {
            filter.Decide(group);
        }
        var state = filter.Participating == 0 ? TaskState.Exhausted : TaskState.Running;
        charged = charged with { NextStep = step + 1, State = state, UpdatedAt = ledger.Now };
        session.UpdateTask(charged);
        if (filter.MovedUnits)
        {
            session.PruneEmptyGroups();
        }

        var cost = curves.CurveDocument(privacyEvent, progress.Grid, task.Relation);
        ledger.Append(session, LedgerKinds.Charge, taskId, new
        {
            task = taskId, step, cohort = task.CohortId, @event = privacyEvent, cost,
            rho = stepRho, sensitivities = prepared.Listed,
            excludedUnits = filter.Excluded,
        }, cost, prepared.Listed);
        if (state == TaskState.Exhausted)
        {
            ledger.Append(session, LedgerKinds.TaskStateChanged, taskId, new { task = taskId, state, reason = "no unit is left in the task" });
        }
        var response = Respond(session, after.With(charged), step, privacyEvent, filter); // same spend: its conversion is kept
        session.AddCharge(new ChargeRow(taskId, step, key, prepared.Hash(step), JsonSerializer.Serialize(response, EventJson.Options)));
        return new ChargeOutcome(response, false, null);
    }

    private ChargeResponse Respond(IStoreSession session, TaskProgress progress, long step, PrivacyEvent privacyEvent, StepFilter filter)
    {
        var task = progress.Row;
        var sigma = NoiseMultiplierOf(privacyEvent);
        var max = options.Value.MaxListedExclusions;
        return new ChargeResponse(
            task.Id, step, sigma, task.ClipNorm, sigma * TaskProgress.Sensitivity(task),
            [.. filter.Excluded.Take(max)], filter.Excluded.Count > max, filter.Excluded.Count, session.ExcludedCount(task.Id),
            filter.Participating, progress.Spent(), progress.Remaining(curves), task.NextStep, task.State);
    }

    private static ProblemException? QuotaRefusal(TaskProgress charged, long step) => charged.Target switch
    {
        Mechanisms.Calibration.EpsilonDeltaTarget t when charged.Spent().Epsilon is var e && !(e <= t.Epsilon) =>
            ProblemException.ForField(ProblemKind.QuotaExhausted, "step",
                $"step {step} would bring the task to ε = {e} at δ = {t.Delta}, over its quota ε = {t.Epsilon}"),
        Mechanisms.Calibration.ZcdpTarget when charged.Row.SpentRho is null =>
            ProblemException.Invalid("event", "a zCDP quota needs events with a finite ρ"),
        Mechanisms.Calibration.ZcdpTarget t when charged.Row.SpentRho > t.Rho =>
            ProblemException.ForField(ProblemKind.QuotaExhausted, "step",
                $"step {step} would bring the task to ρ = {charged.Row.SpentRho}, over its quota ρ = {t.Rho}"),
        _ => null,
    };

    // Units named in the sensitivity list, with their rounded factors; each must be a member of the task's cohort.
    private static List<(UnitRow Unit, double Factor)> Resolve(IStoreSession session, TaskRow task, PreparedCharge prepared)
    {
        var factors = prepared.Factors;
        var resolved = new List<(UnitRow Unit, double Factor)>(factors.Count);
        if (factors.Count == 0)
        {
            return resolved;
        }
        var groupsInCohort = new Dictionary<long, bool>();
        var (lastGroup, lastInCohort) = (-1L, false); // most units of a step share a group
        // A named unit in a group this step does not charge (one excluded from the task) is not locked here: on
        // PostgreSQL another write can move it and prune its group between the reads below. Its row is then read
        // again for the group it is in now; its cohorts went with it, and the cohort's lock keeps them.
        bool InCohort(UnitRow unit)
        {
            if (unit.GroupId == lastGroup)
            {
                return lastInCohort;
            }
            bool inCohort;
            while (!groupsInCohort.TryGetValue(unit.GroupId, out inCohort))
            {
                if (session.FindGroup(unit.GroupId) is { } group)
                {
                    groupsInCohort[group.Id] = group.Cohorts.Contains(task.CohortId);
                }
                else
                {
                    unit = session.GetUnit(unit.Id) ?? throw new InvalidOperationException($"unit '{unit.Id}' is gone"); // never deleted
                }
            }
            (lastGroup, lastInCohort) = (unit.GroupId, inCohort);
            return inCohort;
        }
        var named = prepared.Named;
        var units = session.GetUnits(prepared.UnitIds);
        for (var i = 0; i < units.Count; i++)
        {
            var unit = units[i];
            if (InCohort(unit))
            {
                // Rows come back in the order asked when the writer remembers them all: a comparison, not a lookup.
                resolved.Add((unit, i < named.Length && unit.Id == named[i].Key ? named[i].Value : factors[unit.Id]));
            }
        }
        if (resolved.Count < factors.Count)
        {
            var found = resolved.Select(u => u.Unit.Id).ToHashSet(StringComparer.Ordinal);
            var first = factors.Keys.First(id => !found.Contains(id)); // in the request's order
            throw ProblemException.Invalid("sensitivities", $"unit '{first}' is not a member of cohort '{task.CohortId}'");
        }
        return resolved;
    }

    private static ChargeOutcome Replay(ChargeRow earlier, PreparedCharge prepared, long step, string field) =>
        prepared.Matches(earlier.RequestHash, step)
            ? new ChargeOutcome(JsonSerializer.Deserialize<ChargeResponse>(earlier.Response, EventJson.Options), true, null)
            : throw ProblemException.ForField(ProblemKind.IdempotencyConflict, field,
                $"step {earlier.Step} was charged with a different request; a retry must repeat it exactly");

    private static double? NoiseMultiplierOf(PrivacyEvent privacyEvent) => privacyEvent switch
    {
        GaussianEvent g => g.NoiseMultiplier,
        PoissonSampledEvent p => NoiseMultiplierOf(p.Event),
        SampledWithoutReplacementEvent s => NoiseMultiplierOf(s.Event),
        SelfComposedEvent s => NoiseMultiplierOf(s.Event),
        _ => null,
    };

    /// <summary>
    /// A plan that samples m of n without replacement is accounted as each unit joining a batch with probability m/n
    /// (Wang, Balle, Kasiviswanathan 2019, §2), so its cohort must hold exactly n units when a plan step is charged:
    /// with fewer, each would join more often than accounted.
    /// </summary>
    public static void RequireSampledPopulation(IStoreSession session, string cohortId, TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Sampling == SamplingScheme.WithoutReplacement && session.GetCohort(cohortId) is { } cohort && cohort.Members != plan.DatasetSize)
        {
            throw ProblemException.ForField(ProblemKind.Conflict, "plan.datasetSize",
                $"the plan samples from {plan.DatasetSize} units but cohort '{cohortId}' has {cohort.Members}");
        }
    }
}
