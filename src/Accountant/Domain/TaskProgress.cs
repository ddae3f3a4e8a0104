using System.Collections.Concurrent;
using System.Text.Json;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Storage;
using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Conversion;
using Accounting.Mechanisms.Events;

namespace Accounting.Accountant.Domain;

/// <summary>A task's stored row read back as plan, target and grid, with what it has spent and has left.</summary>
public sealed class TaskProgress
{
    private const int ParsedCapacity = 4096;

    // A task's plan and target never change, yet every charge reads them: each stored text is parsed once (the
    // records are immutable, so one instance serves every reader); cleared past the capacity, like the curve cache.
    private static readonly ConcurrentDictionary<(string Plan, string Target), (TrainingPlan Plan, PrivacyTarget Target)> Parsed = new();

    // What the row's curve converts to, once per instance (a charge reads it for its quota, its answer and what is left).
    private TaskSpendSummary? _spent;

    private TaskProgress(TaskRow row, TrainingPlan plan, PrivacyTarget target, Mechanisms.Rdp.OrderGrid grid, TaskSpendSummary? spent = null)
    {
        Row = row;
        Plan = plan;
        Target = target;
        Grid = grid;
        _spent = spent;
    }

    /// <summary>The stored task.</summary>
    public TaskRow Row { get; }

    /// <summary>Its plan.</summary>
    public TrainingPlan Plan { get; }

    /// <summary>Its quota.</summary>
    public PrivacyTarget Target { get; }

    /// <summary>Its grid.</summary>
    public Mechanisms.Rdp.OrderGrid Grid { get; }

    /// <summary>The task as stored.</summary>
    public static TaskProgress Of(TaskRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (Parsed.Count > ParsedCapacity)
        {
            Parsed.Clear();
        }
        var (plan, target) = Parsed.GetOrAdd((row.Plan, row.Target), static texts => (
            JsonSerializer.Deserialize<TrainingPlan>(texts.Plan, EventJson.Options)!,
            JsonSerializer.Deserialize<PrivacyTarget>(texts.Target, EventJson.Options)!));
        return new(row, plan, target, BudgetBook.Grid(row.Grid, "grid"));
    }

    /// <summary>The same task with new totals or state; its plan, target and grid do not change.</summary>
    public TaskProgress With(TaskRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var sameSpend = ReferenceEquals(row.Spent, Row.Spent) && row.SpentRho == Row.SpentRho; // curves are never changed in place
        return new(row, Plan, Target, Grid, sameSpend ? _spent : null);
    }

    /// <summary>Noise is σ times this: C under add/remove, 2C under replace-one (a replaced unit moves a sum by 2C).</summary>
    public static double Sensitivity(TaskRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Relation == NeighbouringRelation.ReplaceOne ? 2 * row.ClipNorm : row.ClipNorm;
    }

    /// <summary>The plan's step at the calibrated σ.</summary>
    public PrivacyEvent StepEvent => Plan.StepEvent(Row.NoiseMultiplier);

    /// <summary>What the task has spent (ε at the target's δ for an (ε, δ) quota).</summary>
    public TaskSpendSummary Spent() => _spent ??= Target switch
    {
        EpsilonDeltaTarget t => new(RdpConversion.Epsilon(Grid, Row.Spent, t.Delta).Epsilon, t.Delta, Row.SpentRho),
        _ => new(null, null, Row.SpentRho),
    };

    /// <summary>What the quota has left, including how many plan steps still fit at the calibrated σ.</summary>
    public TaskRemainingDto Remaining(CurveCache curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        switch (Target)
        {
            case EpsilonDeltaTarget t:
                var steps = StepCalibration.LargestSteps(Grid, curves.Curve(StepEvent, Grid, Row.Relation), Row.Spent, t);
                return new(Math.Max(0, t.Epsilon - Spent().Epsilon!.Value), null, steps);
            case ZcdpTarget t:
                var spentRho = Row.SpentRho ?? double.PositiveInfinity;
                var fit = curves.Rho(StepEvent) is not null && spentRho <= t.Rho
                    ? StepCalibration.LargestSteps(Plan with { Steps = 1 }, Row.NoiseMultiplier, t, Row.Relation, spentRho)
                    : 0;
                return new(null, Math.Max(0, t.Rho - spentRho), fit);
            default:
                throw new InvalidOperationException($"unknown target {Target.GetType().Name}");
        }
    }

    /// <summary>The full API view of the task.</summary>
    public TaskResponse ToResponse(IStoreSession session, CurveCache curves)
    {
        ArgumentNullException.ThrowIfNull(session);
        var spent = Spent();
        var sensitivity = Sensitivity(Row);
        return new TaskResponse(
            Row.Id, Row.CohortId, Row.UnitKind, Row.Relation, Plan, Target, Row.Grid, Row.NoiseMultiplier, Row.ClipNorm,
            sensitivity, Row.NoiseMultiplier * sensitivity, Row.PlannedEpsilon, Row.State, Row.NextStep,
            new TaskSpendDto(spent.Epsilon, spent.Delta, spent.Rho, CurveDto.From(Grid, Row.Spent)), Remaining(curves),
            session.ParticipatingUnits(Row.CohortId, Row.Id), session.ExcludedCount(Row.Id), Row.CreatedAt, Row.UpdatedAt);
    }
}
