using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Accounting.Mechanisms.Events;

namespace Accounting.Accountant.Storage;

/// <summary>A budget as stored: the default policy or a distinct per-unit override.</summary>
public sealed record BudgetRow(long Id, double? Epsilon, double? Delta, double? Rho, string Grid, NeighbouringRelation Relation, UnitKind UnitKind);

/// <summary>Units in identical state: same budget, cohorts, exclusions and spent curve (<see cref="Base"/>).</summary>
public sealed record GroupRow(long Id, long BudgetId, IReadOnlyList<string> Cohorts, IReadOnlyList<string> Excluded, double[] Base, long Members);

/// <summary>A task a group's members took part in: first and last step paid, and the step they were excluded at.</summary>
public sealed record GroupTaskRow(string TaskId, long FirstStep, long? LastStep, long? ExcludedStep);

/// <summary>A unit: its group, and its own delta (≤ 0) on top of the group's spent curve.</summary>
public sealed record UnitRow(string Id, long GroupId, double[]? Delta);

/// <summary>A named set of units.</summary>
public sealed record CohortRow(string Id, UnitKind UnitKind, long Members, DateTimeOffset CreatedAt);

/// <summary>A training task and its running totals; <see cref="Owner"/> is the key that created it.</summary>
public sealed record TaskRow(
    string Id, string CohortId, UnitKind UnitKind, NeighbouringRelation Relation, string Plan, string Target, string Grid,
    double NoiseMultiplier, double ClipNorm, double? PlannedEpsilon, TaskState State, long NextStep, double[] Spent,
    double? SpentRho, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Owner);

/// <summary>The stored answer to an accepted charge, replayed on retries.</summary>
public sealed record ChargeRow(string TaskId, long Step, string? IdempotencyKey, byte[] RequestHash, string Response);

/// <summary>
/// One ledger entry as stored (<see cref="At"/> is the stored ISO 8601 text, which the hash covers), with its link in
/// the hash chain (null only before the start-up backfill of entries older than the chain).
/// </summary>
public sealed record LedgerRow(long Seq, string At, string Actor, string Kind, string? TaskId, string Payload, byte[]? PrevHash, byte[]? Hash);

/// <summary>An API key as stored: its SHA-256, never the key.</summary>
public sealed record ApiKeyRow(
    string Id, string Name, KeyRole Role, byte[] Hash, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt);

/// <summary>
/// A ledger entry's content before it takes its place in the chain (<see cref="At"/> as stored text, the payload as
/// its JSON's UTF-8 bytes, which the chain hashes), with a value in its payload that the store keeps once, if any, and
/// a charge's list of units and factors, which the store keeps in its compact form.
/// </summary>
public sealed record LedgerEntry(string At, string Actor, string Kind, string? TaskId, byte[] Payload, SharedJson? Shared = null, SensitivityList? Listed = null);

/// <summary>
/// A change to a unit's own delta: <see cref="Added"/> (≤ 0; shared by the units that saved the same) added to its
/// <see cref="Current"/> delta, or the delta cleared when <see cref="Added"/> is null.
/// </summary>
public readonly record struct DeltaChange(string UnitId, double[]? Current, double[]? Added)
{
    /// <summary>The unit's delta after the change (rounded up: a saving is never overstated).</summary>
    public double[]? Delta => After(Current, Added);

    /// <summary>The delta after adding <paramref name="added"/> to <paramref name="current"/> (null: cleared).</summary>
    public static double[]? After(double[]? current, double[]? added) =>
        added is null ? null : current is null ? added : Curves.Plus(current, added);
}
