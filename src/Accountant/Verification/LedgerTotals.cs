using Accounting.Accountant.Contracts;

namespace Accounting.Accountant.Verification;

/// <summary>Every total an auditor recomputed from a ledger export whose chain holds.</summary>
/// <param name="Entries">Entries in the export.</param>
/// <param name="HeadSeq">The last entry's sequence number.</param>
/// <param name="HeadHash">The last entry's hash (hex).</param>
/// <param name="UnknownEntries">Entries of kinds the verifier does not interpret (they carry no spend).</param>
/// <param name="Tasks">Every task, by id.</param>
/// <param name="Units">Every unit, by id.</param>
public sealed record LedgerTotals(
    long Entries, long HeadSeq, string HeadHash, long UnknownEntries, IReadOnlyList<TaskTotal> Tasks, IReadOnlyList<UnitTotal> Units);

/// <summary>What a task spent, recomputed from its charges' events.</summary>
/// <param name="Id">The task.</param>
/// <param name="Cohort">Its cohort.</param>
/// <param name="State">Its last recorded state.</param>
/// <param name="Charges">Steps charged.</param>
/// <param name="Spent">The composed cost of every charge on the task's grid.</param>
/// <param name="Epsilon">ε of <paramref name="Spent"/> at the quota's δ (for an (ε, δ) quota).</param>
/// <param name="Delta">The quota's δ.</param>
/// <param name="Rho">Spent ρ, when every charge had one.</param>
public sealed record TaskTotal(string Id, string Cohort, string State, long Charges, CurveDto Spent, double? Epsilon, double? Delta, double? Rho);

/// <summary>What a unit spent, recomputed from the charges it took part in.</summary>
/// <param name="Id">The unit.</param>
/// <param name="BudgetId">Its budget as recorded (negative for budgets a ledger from before recorded ids names none).</param>
/// <param name="Spent">Its spent curve on the budget's grid (one value, ρ, for a zCDP budget).</param>
/// <param name="Epsilon">ε of the spent curve at the budget's δ (an (ε, δ) budget).</param>
/// <param name="Rho">Spent ρ (a zCDP budget).</param>
/// <param name="WithinBudget">Whether the spent curve is within the budget's filter (SPEC §3).</param>
public sealed record UnitTotal(string Id, long BudgetId, CurveDto Spent, double? Epsilon, double? Rho, bool WithinBudget);
