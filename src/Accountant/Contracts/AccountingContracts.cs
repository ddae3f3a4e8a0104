using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Events;

namespace Accounting.Accountant.Contracts;

/// <summary>ε of a composition of events at a δ.</summary>
/// <param name="Event">The events, as one (possibly composed) event.</param>
/// <param name="Delta">δ ∈ (0, 1).</param>
/// <param name="Relation">Neighbouring relation (default addOrRemoveOne).</param>
/// <param name="Grid">Order grid key (default dp-accounting/v1).</param>
public sealed record EpsilonRequest(
    PrivacyEvent Event, double Delta, NeighbouringRelation Relation = NeighbouringRelation.AddOrRemoveOne, string? Grid = null);

/// <summary>The smallest ε over the grid's orders.</summary>
/// <param name="Epsilon">ε at the requested δ; null when unbounded.</param>
/// <param name="Order">The order attaining it.</param>
/// <param name="Curve">The event's RDP curve.</param>
public sealed record EpsilonResponse(double? Epsilon, double? Order, CurveDto Curve);

/// <summary>δ of a composition of events at an ε.</summary>
/// <param name="Event">The events, as one (possibly composed) event.</param>
/// <param name="Epsilon">ε ≥ 0.</param>
/// <param name="Relation">Neighbouring relation (default addOrRemoveOne).</param>
/// <param name="Grid">Order grid key (default dp-accounting/v1).</param>
public sealed record DeltaRequest(
    PrivacyEvent Event, double Epsilon, NeighbouringRelation Relation = NeighbouringRelation.AddOrRemoveOne, string? Grid = null);

/// <summary>The smallest δ over the grid's orders.</summary>
/// <param name="Delta">δ at the requested ε.</param>
/// <param name="Order">The order attaining it.</param>
public sealed record DeltaResponse(double Delta, double? Order);

/// <summary>The smallest noise multiplier for a plan and a target.</summary>
/// <param name="Plan">Steps and sampling of the run.</param>
/// <param name="Target">The (ε, δ) or ρ to stay within.</param>
/// <param name="Relation">Neighbouring relation (default: the plan's sampling's own).</param>
/// <param name="Grid">Order grid key (default dp-accounting/v1).</param>
public sealed record CalibrateRequest(TrainingPlan Plan, PrivacyTarget Target, NeighbouringRelation? Relation = null, string? Grid = null);

/// <summary>A calibrated noise multiplier and what the plan spends with it.</summary>
/// <param name="NoiseMultiplier">σ: noise standard deviation over sensitivity.</param>
/// <param name="Epsilon">ε the plan spends at the target's δ (for an (ε, δ) target).</param>
/// <param name="Order">The order attaining ε.</param>
/// <param name="Rho">ρ the plan spends (for a zCDP target).</param>
public sealed record CalibrateResponse(double NoiseMultiplier, double? Epsilon, double? Order, double? Rho);
