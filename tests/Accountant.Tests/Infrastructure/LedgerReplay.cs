using System.Text.Json;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Accountant.Tests.Infrastructure;

/// <summary>
/// An auditor's recomputation of every unit's spent curve from the ledger alone: cohort membership as of each
/// entry, each charge's event costed on the budget grid, exclusions from the step they happen, and per-unit
/// sensitivities. It knows nothing of the service's unit groups.
/// </summary>
public sealed class LedgerReplay
{
    private readonly Dictionary<string, HashSet<string>> _members = [];
    private readonly Dictionary<string, (string Cohort, NeighbouringRelation Relation)> _tasks = [];
    private readonly Dictionary<string, HashSet<string>> _excluded = [];

    /// <summary>Spent curves by unit, on <see cref="Grid"/>.</summary>
    public Dictionary<string, double[]> Spent { get; } = [];

    /// <summary>The budget grid all units here are on.</summary>
    public OrderGrid Grid { get; } = OrderGrids.Filter;

    /// <summary>Replays the ledger's JSON Lines.</summary>
    public static LedgerReplay Of(string jsonLines)
    {
        ArgumentNullException.ThrowIfNull(jsonLines);
        var replay = new LedgerReplay();
        foreach (var line in jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var entry = JsonDocument.Parse(line);
            replay.Apply(entry.RootElement.GetProperty("kind").GetString()!, entry.RootElement.GetProperty("payload"));
        }
        return replay;
    }

    private void Apply(string kind, JsonElement payload)
    {
        switch (kind)
        {
            case "cohortMembersAdded":
                var cohort = payload.GetProperty("cohort").GetString()!;
                if (!_members.TryGetValue(cohort, out var members))
                {
                    _members[cohort] = members = [];
                }
                members.UnionWith(payload.GetProperty("units").EnumerateArray().Select(u => u.GetString()!));
                break;
            case "taskCreated":
                _tasks[payload.GetProperty("task").GetString()!] = (
                    payload.GetProperty("cohort").GetString()!,
                    payload.GetProperty("relation").Deserialize<NeighbouringRelation>(Api.Json));
                break;
            case "charge":
                Charge(payload);
                break;
        }
    }

    private void Charge(JsonElement payload)
    {
        var taskId = payload.GetProperty("task").GetString()!;
        var (cohort, relation) = _tasks[taskId];
        var privacyEvent = payload.GetProperty("event").Deserialize<PrivacyEvent>(Api.Json)!;
        var cost = RdpAccountant.Curve(privacyEvent, Grid, relation).Epsilons.ToArray();
        var factors = payload.GetProperty("sensitivities").EnumerateArray()
            .ToDictionary(s => s.GetProperty("unit").GetString()!, s => s.GetProperty("sensitivity").GetDouble());
        var excludedNow = payload.GetProperty("excludedUnits").EnumerateArray().Select(u => u.GetString()!).ToHashSet();
        if (!_excluded.TryGetValue(taskId, out var excluded))
        {
            _excluded[taskId] = excluded = [];
        }
        foreach (var unit in _members.GetValueOrDefault(cohort) ?? [])
        {
            if (excluded.Contains(unit) || excludedNow.Contains(unit))
            {
                continue;
            }
            var paid = factors.TryGetValue(unit, out var s)
                ? RdpAccountant.Curve(IndividualSensitivity.Scale(privacyEvent, s), Grid, relation).Epsilons.ToArray().Zip(cost, Math.Min).ToArray()
                : cost;
            Spent[unit] = Spent.TryGetValue(unit, out var before) ? [.. before.Zip(paid, Upward.Add)] : paid;
        }
        excluded.UnionWith(excludedNow);
    }
}
