using System.Text.Json;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Accounting.Mechanisms.Events;

namespace Accounting.Accountant.Storage;

// Rows as both dialects store them (enums by name, curves as bytes, times as text), read and written by Dapper.

internal sealed record StoredBudget(long Id, double? Epsilon, double? Delta, double? Rho, string Grid, string Relation, string UnitKind)
{
    public string Kind => Rho is null ? "rdp" : "zcdp";

    public static StoredBudget From(BudgetRow b) =>
        new(b.Id, b.Epsilon, b.Delta, b.Rho, b.Grid, Names.Of(b.Relation), Names.Of(b.UnitKind));

    public BudgetRow ToRow() =>
        new(Id, Epsilon, Delta, Rho, Grid, Names.Parse<NeighbouringRelation>(Relation), Names.Parse<UnitKind>(UnitKind));
}

internal sealed record StoredGroup(long Id, long BudgetId, string Cohorts, string Excluded, byte[] Base, long Members)
{
    public GroupRow ToRow() => new(
        Id, BudgetId, JsonSerializer.Deserialize<string[]>(Cohorts)!, JsonSerializer.Deserialize<string[]>(Excluded)!,
        CurveBytes.To(Base), Members);
}

internal sealed record StoredUnit(string Id, long GroupId, byte[]? Delta)
{
    public UnitRow ToRow() => new(Id, GroupId, Delta is null ? null : CurveBytes.To(Delta));
}

internal sealed record StoredCohort(string Id, string UnitKind, long Members, string CreatedAt)
{
    public CohortRow ToRow() => new(Id, Names.Parse<UnitKind>(UnitKind), Members, StoredTime.Parse(CreatedAt));
}

internal sealed record StoredTask(
    string Id, string CohortId, string UnitKind, string Relation, string Plan, string Target, string Grid,
    double NoiseMultiplier, double ClipNorm, double? PlannedEpsilon, string State, long NextStep, byte[] Spent,
    double? SpentRho, string CreatedAt, string UpdatedAt, string? Owner)
{
    public static StoredTask From(TaskRow t) => new(
        t.Id, t.CohortId, Names.Of(t.UnitKind), Names.Of(t.Relation), t.Plan, t.Target, t.Grid, t.NoiseMultiplier,
        t.ClipNorm, t.PlannedEpsilon, Names.Of(t.State), t.NextStep, CurveBytes.From(t.Spent), t.SpentRho,
        StoredTime.Text(t.CreatedAt), StoredTime.Text(t.UpdatedAt), t.Owner);

    public TaskRow ToRow() => new(
        Id, CohortId, Names.Parse<UnitKind>(UnitKind), Names.Parse<NeighbouringRelation>(Relation), Plan, Target, Grid,
        NoiseMultiplier, ClipNorm, PlannedEpsilon, Names.Parse<TaskState>(State), NextStep, CurveBytes.To(Spent), SpentRho,
        StoredTime.Parse(CreatedAt), StoredTime.Parse(UpdatedAt), Owner);
}

internal sealed record StoredKey(string Id, string Name, string Role, byte[] Hash, string CreatedAt, string CreatedBy, string? RevokedAt)
{
    public ApiKeyRow ToRow() => new(
        Id, Name, Names.Parse<KeyRole>(Role), Hash, StoredTime.Parse(CreatedAt), CreatedBy, RevokedAt is null ? null : StoredTime.Parse(RevokedAt));
}

// A ledger entry as stored: a payload that held a shared value keeps a placeholder at SharedAt (UTF-8 bytes), and the
// value itself (SharedText) is read from ledger_shared; one that held a charge's list keeps a placeholder at ListedAt,
// and the list's compact form (Listed). Null for a payload stored whole. The list was cut first, so it goes back last.
internal sealed record StoredLedgerRow(
    long Seq, string At, string Actor, string Kind, string? TaskId, string Payload, byte[]? PrevHash, byte[]? Hash, long? SharedAt,
    string? SharedText, byte[]? Listed, long? ListedAt)
{
    public LedgerRow ToRow() => new(Seq, At, Actor, Kind, TaskId, WholePayload(), PrevHash, Hash);

    private string WholePayload()
    {
        var payload = SharedAt is { } sharedAt
            ? PayloadCut.Splice(Payload, sharedAt, SharedText ?? throw new InvalidDataException("a stored ledger payload names a shared value that is not stored"))
            : Payload;
        return ListedAt is { } listedAt
            ? PayloadCut.Splice(payload, listedAt, SensitivityList.JsonOf(Listed ?? throw new InvalidDataException("a stored ledger payload names a list that is not stored")))
            : payload;
    }
}
