using System.Text.Json.Serialization;
using Accounting.Mechanisms.Events;

namespace Accounting.Accountant.Contracts;

/// <summary>
/// Ask to charge one private update, before making it. Give the step index, an <c>Idempotency-Key</c> header, or
/// both: a retry with the same step or key and the same body returns the first answer.
/// </summary>
/// <param name="Step">The step index (must be the task's next step, or a past one to replay).</param>
/// <param name="Event">The update's event, when it differs from the plan's step at the calibrated σ.</param>
/// <param name="Sensitivities">Per-unit factors s ∈ [0, 1]: a unit whose contribution norm is at most s·C pays the event at noise σ/s.</param>
public sealed record ChargeRequest(long? Step = null, PrivacyEvent? Event = null, IReadOnlyList<UnitSensitivity>? Sensitivities = null);

/// <summary>One unit's sensitivity factor for a step.</summary>
/// <param name="Unit">The unit's id.</param>
/// <param name="Sensitivity">s ∈ [0, 1]; rounded up onto a grid of 100 values.</param>
[JsonConverter(typeof(UnitSensitivityConverter))]
public sealed record UnitSensitivity(string Unit, double Sensitivity);

/// <summary>The answer to a granted charge: leave out the excluded units, then make the update with this noise.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Step">The step charged.</param>
/// <param name="NoiseMultiplier">σ of the step's Gaussian (null for events without one).</param>
/// <param name="ClipNorm">Clipping norm C.</param>
/// <param name="NoiseStandardDeviation">σ × sensitivity (null without a Gaussian).</param>
/// <param name="ExcludedUnits">Units excluded at this step: their data must be left out of this and later updates.</param>
/// <param name="ExcludedUnitsTruncated">True when more units were excluded than listed; page them from the task's exclusions.</param>
/// <param name="NewlyExcluded">How many units were excluded at this step.</param>
/// <param name="ExcludedTotal">How many units are excluded from the task in all.</param>
/// <param name="ParticipatingUnits">Units still in the task after this step.</param>
/// <param name="TaskSpent">What the task has spent, this step included.</param>
/// <param name="TaskRemaining">What its quota has left.</param>
/// <param name="NextStep">The next step index.</param>
/// <param name="State">The task's state after the step.</param>
public sealed record ChargeResponse(
    string TaskId, long Step, double? NoiseMultiplier, double ClipNorm, double? NoiseStandardDeviation,
    IReadOnlyList<string> ExcludedUnits, bool ExcludedUnitsTruncated, long NewlyExcluded, long ExcludedTotal,
    long ParticipatingUnits, TaskSpendSummary TaskSpent, TaskRemainingDto TaskRemaining, long NextStep, TaskState State);

/// <summary>A task's spend in brief.</summary>
/// <param name="Epsilon">ε at the target's δ.</param>
/// <param name="Delta">That δ.</param>
/// <param name="Rho">ρ spent, when every charge had one.</param>
public sealed record TaskSpendSummary(double? Epsilon, double? Delta, double? Rho);
