using Accounting.Mechanisms.Events;

namespace Accounting.Accountant.Contracts;

/// <summary>A lifetime budget: (ε, δ) for an individual Rényi filter on a small order grid, or zCDP ρ.</summary>
/// <param name="Epsilon">ε of an (ε, δ) budget.</param>
/// <param name="Delta">δ of an (ε, δ) budget.</param>
/// <param name="Rho">ρ of a zCDP budget.</param>
/// <param name="Grid">Order grid of the filter (kept for the budget's lifetime).</param>
/// <param name="Relation">Neighbouring relation the budget protects.</param>
/// <param name="UnitKind">What one unit is.</param>
public sealed record BudgetDto(double? Epsilon, double? Delta, double? Rho, string Grid, NeighbouringRelation Relation, UnitKind UnitKind);

/// <summary>A per-unit budget override; relation and unit kind follow the default policy.</summary>
/// <param name="Epsilon">ε of an (ε, δ) budget.</param>
/// <param name="Delta">δ of an (ε, δ) budget.</param>
/// <param name="Rho">ρ of a zCDP budget (instead of ε and δ).</param>
/// <param name="Grid">Order grid (default: the unit's current one).</param>
public sealed record UnitBudgetRequest(double? Epsilon, double? Delta, double? Rho, string? Grid = null);
