
namespace Accounting.Accountant.Contracts;

/// <summary>Units to register (under their kind's default budget, in no cohort).</summary>
/// <param name="Units">Unit ids: 1–128 characters, no control characters, no '%'; '/' allowed.</param>
/// <param name="UnitKind">What the units are (default example).</param>
public sealed record RegisterUnitsRequest(IReadOnlyList<string> Units, UnitKind UnitKind = UnitKind.Example);

/// <summary>How a registration went.</summary>
/// <param name="Registered">Units created.</param>
/// <param name="AlreadyKnown">Units that existed already.</param>
public sealed record RegisterUnitsResponse(int Registered, int AlreadyKnown);

/// <summary>What one unit has spent and may still spend.</summary>
/// <param name="Id">The unit's id.</param>
/// <param name="Budget">Its lifetime budget.</param>
/// <param name="Spent">Its spent curve on the budget's grid (one value, ρ, for a zCDP budget).</param>
/// <param name="EpsilonSpent">The spent curve converted at the budget's δ (informational; the guarantee is the filter).</param>
/// <param name="RhoSpent">ρ spent, for a zCDP budget.</param>
/// <param name="Remaining">ε (or ρ) still available in the filter's terms; 0 when nothing more is admitted.</param>
/// <param name="Cohorts">Cohorts the unit belongs to.</param>
/// <param name="Tasks">Tasks the unit took part in.</param>
public sealed record UnitResponse(
    string Id, BudgetDto Budget, CurveDto Spent, double? EpsilonSpent, double? RhoSpent, double Remaining,
    IReadOnlyList<string> Cohorts, IReadOnlyList<UnitTaskDto> Tasks);

/// <summary>A unit's part in a task.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="FirstStep">First step the unit was charged for (or excluded at).</param>
/// <param name="LastStep">Last step it was charged for.</param>
/// <param name="ExcludedAtStep">The step at which its budget stopped it, if it did.</param>
public sealed record UnitTaskDto(string TaskId, long FirstStep, long? LastStep, long? ExcludedAtStep);
