using System.Text.Json;
using Accounting.Accountant.Contracts;
using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Conversion;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Accountant.Verification;

/// <summary>A task as its entries describe it, with what its charges add up to.</summary>
internal sealed class ReplayTask(string id, string cohort, NeighbouringRelation relation, OrderGrid grid, PrivacyTarget target)
{
    public string Id { get; } = id;

    public string Cohort { get; } = cohort;

    public NeighbouringRelation Relation { get; } = relation;

    public OrderGrid Grid { get; } = grid;

    public double[] Spent { get; set; } = new double[grid.Count];

    // ρ composes while every charge has one (Bun & Steinke 2016, Lemma 2.3).
    public double? SpentRho { get; set; } = 0;

    public long Charges { get; set; }

    public string State { get; set; } = "planned";

    /// <summary>The task in a taskCreated payload.</summary>
    public static ReplayTask From(JsonElement created)
    {
        var key = created.GetProperty("grid").GetString() ?? "";
        return new(
            created.GetProperty("task").GetString()!, created.GetProperty("cohort").GetString()!,
            created.GetProperty("relation").Deserialize<NeighbouringRelation>(EventJson.Options),
            OrderGrids.TryGet(key, out var grid) ? grid : throw new InvalidDataException($"unknown grid '{key}'"),
            created.GetProperty("target").Deserialize<PrivacyTarget>(EventJson.Options) ?? throw new InvalidDataException("no target"));
    }

    /// <summary>The totals, with ε at the quota's δ as the service reports it (Balle et al. 2020, Thm 21).</summary>
    public TaskTotal Total() => target is EpsilonDeltaTarget t
        ? new(Id, Cohort, State, Charges, CurveDto.From(Grid, Spent), RdpConversion.Epsilon(Grid, Spent, t.Delta).Epsilon, t.Delta, SpentRho)
        : new(Id, Cohort, State, Charges, CurveDto.From(Grid, Spent), null, null, SpentRho);
}
