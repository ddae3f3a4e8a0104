using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Events;

namespace Accounting.Accountant.Contracts;

/// <summary>A training task: which units, under which relation, with which plan and quota.</summary>
/// <param name="Cohort">The cohort it trains on.</param>
/// <param name="UnitKind">What one unit is; must match the cohort and the units' budgets.</param>
/// <param name="Relation">Neighbouring relation; must match the units' budgets.</param>
/// <param name="Plan">Steps and sampling.</param>
/// <param name="Target">The task's quota: calibration aims at it and charges stop at it.</param>
/// <param name="ClipNorm">Clipping norm C of each unit's contribution.</param>
/// <param name="Grid">Order grid for calibration and the quota (default dp-accounting/v1).</param>
/// <param name="Id">Task id (generated when omitted): 1–128 characters, no control characters, no '%'; '/' allowed.</param>
public sealed record CreateTaskRequest(
    string Cohort, UnitKind UnitKind, NeighbouringRelation Relation, TrainingPlan Plan, PrivacyTarget Target,
    double ClipNorm, string? Grid = null, string? Id = null);

/// <summary>A task's plan, calibration and progress.</summary>
/// <param name="Id">Task id.</param>
/// <param name="Cohort">Its cohort.</param>
/// <param name="UnitKind">What one unit is.</param>
/// <param name="Relation">Neighbouring relation.</param>
/// <param name="Plan">Steps and sampling.</param>
/// <param name="Target">Its quota.</param>
/// <param name="Grid">Order grid of calibration and quota.</param>
/// <param name="NoiseMultiplier">Calibrated σ.</param>
/// <param name="ClipNorm">Clipping norm C.</param>
/// <param name="Sensitivity">C under add/remove, 2C under replace-one (one unit's data replaced moves a sum by 2C).</param>
/// <param name="NoiseStandardDeviation">σ × sensitivity: the standard deviation of the noise to add to the sum.</param>
/// <param name="PlannedEpsilon">ε of the whole plan at the target's δ.</param>
/// <param name="State">planned, running, completed, exhausted or cancelled.</param>
/// <param name="NextStep">The step index to charge next (resume here).</param>
/// <param name="Spent">What the task has spent.</param>
/// <param name="Remaining">What its quota has left.</param>
/// <param name="ParticipatingUnits">Cohort members not excluded.</param>
/// <param name="ExcludedUnits">Members excluded by their budgets.</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="UpdatedAt">Last change.</param>
public sealed record TaskResponse(
    string Id, string Cohort, UnitKind UnitKind, NeighbouringRelation Relation, TrainingPlan Plan, PrivacyTarget Target,
    string Grid, double NoiseMultiplier, double ClipNorm, double Sensitivity, double NoiseStandardDeviation,
    double? PlannedEpsilon, TaskState State, long NextStep, TaskSpendDto Spent, TaskRemainingDto Remaining,
    long ParticipatingUnits, long ExcludedUnits, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>What a task has spent.</summary>
/// <param name="Epsilon">ε at the target's δ (for an (ε, δ) quota).</param>
/// <param name="Delta">That δ.</param>
/// <param name="Rho">ρ spent, when every charge had one.</param>
/// <param name="Curve">The spent RDP curve on the task's grid.</param>
public sealed record TaskSpendDto(double? Epsilon, double? Delta, double? Rho, CurveDto Curve);

/// <summary>What a task's quota has left.</summary>
/// <param name="Epsilon">Target ε minus spent ε (for an (ε, δ) quota).</param>
/// <param name="Rho">Target ρ minus spent ρ (for a zCDP quota).</param>
/// <param name="Steps">Plan steps that still fit at the calibrated σ.</param>
public sealed record TaskRemainingDto(double? Epsilon, double? Rho, long Steps);

/// <summary>Units excluded from a task, a page at a time.</summary>
/// <param name="Units">Unit ids, ascending.</param>
/// <param name="Next">Pass as <c>after</c> to read the next page; null at the end.</param>
public sealed record ExclusionsResponse(IReadOnlyList<string> Units, string? Next);
