using System.Text.Json;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Accountant.Verification;

/// <summary>
/// Recomputes every task's and unit's spend from the events in an export, as an auditor would, knowing nothing of
/// the service's unit groups or stored totals: budgets from the budget entries (a unit kind's first recorded default
/// policy is in force from the start), cohort membership as of each entry, each charge's event costed on the task's
/// grid and on each member's budget grid, exclusions from the step they happen, and per-unit sensitivities. Curves
/// compose by upward-rounded addition, as the service composes them (Mironov 2017, Prop. 1).
/// </summary>
internal sealed class SpendReplay
{
    // A registration recorded before entries named the unit kind was the API's default kind.
    private const string DefaultUnitKind = "example";

    private readonly Dictionary<long, RecordedBudget> _budgets = [];
    private readonly Dictionary<string, long> _defaults = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _cohortKinds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ReplayTask> _tasks = new(StringComparer.Ordinal);
    private readonly UnitShares _units = new();
    private readonly EventCosts _costs = new();
    private long _unnamedBudgets;
    private long _unknownEntries;

    private SpendReplay()
    {
    }

    /// <summary>The totals of the export at <paramref name="path"/>, whose chain <paramref name="chain"/> found intact.</summary>
    /// <exception cref="InvalidDataException">An entry cannot be replayed (named by its seq).</exception>
    public static LedgerTotals Run(string path, ChainResult chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var replay = new SpendReplay();
        foreach (var policy in chain.FirstPolicies.Values)
        {
            using var document = JsonDocument.Parse(policy);
            replay.SetDefault(document.RootElement);
        }
        foreach (var (_, line) in ExportReader.Lines(path))
        {
            var entry = ExportEntry.Parse(line);
            try
            {
                using var payload = JsonDocument.Parse(entry.Payload);
                replay.Apply(entry.Kind, payload.RootElement);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or ArgumentException or InvalidDataException)
            {
                throw new InvalidDataException($"seq {entry.Seq} ({entry.Kind}): {e.Message}", e);
            }
        }
        return replay.Totals(chain);
    }

    private void Apply(string kind, JsonElement payload)
    {
        switch (kind)
        {
            case LedgerKinds.DefaultBudgetSet:
                SetDefault(payload);
                break;
            case LedgerKinds.UnitBudgetSet:
                SetUnitBudget(payload);
                break;
            case LedgerKinds.UnitsRegistered:
                var unitKind = payload.TryGetProperty("unitKind", out var k) ? k.GetString()! : DefaultUnitKind;
                foreach (var unit in Strings(payload, "units"))
                {
                    Register(unit, unitKind);
                }
                break;
            case LedgerKinds.CohortCreated:
                _cohortKinds[Text(payload, "cohort")] = Text(payload, "unitKind");
                break;
            case LedgerKinds.CohortMembersAdded:
                Join(Text(payload, "cohort"), Strings(payload, "units"));
                break;
            case LedgerKinds.TaskCreated:
                var task = ReplayTask.From(payload);
                _tasks[task.Id] = task;
                break;
            case LedgerKinds.TaskStateChanged:
                Task(Text(payload, "task")).State = Text(payload, "state");
                break;
            case LedgerKinds.Charge:
                Charge(payload);
                break;
            default:
                _unknownEntries++;
                break;
        }
    }

    // A default policy is edited in place: units on its budget follow it; a new grid or kind (allowed only while
    // nothing is spent under it) starts them from zero on it.
    private void SetDefault(JsonElement policy)
    {
        var kind = Text(policy, "unitKind");
        var id = BudgetId(policy) ?? (_defaults.TryGetValue(kind, out var current) ? current : --_unnamedBudgets);
        Define(id, RecordedBudget.From(policy));
        _defaults[kind] = id;
    }

    private void SetUnitBudget(JsonElement change)
    {
        var unit = Text(change, "unit");
        Register(unit, DefaultUnitKind); // the service registers an unknown unit as an example first
        var id = BudgetId(change) ?? --_unnamedBudgets;
        var budget = RecordedBudget.From(change.GetProperty("budget"));
        Define(id, budget);
        var from = _units.Of(unit);
        // A unit moves grids or kinds only with nothing spent, so it starts from zero there; otherwise its spend moves with it.
        _units.Move(unit, _units.Derive(from, id, _budgets[from.Budget].SameSpace(budget) ? null : new double[budget.Width]));
    }

    private void Define(long id, RecordedBudget budget)
    {
        if (_budgets.TryGetValue(id, out var before) && !before.SameSpace(budget))
        {
            foreach (var share in _units.OnBudget(id))
            {
                share.Spent = new double[budget.Width];
            }
        }
        _budgets[id] = budget;
    }

    private void Register(string unit, string kind)
    {
        var id = _defaults.TryGetValue(kind, out var budget)
            ? budget
            : throw new InvalidDataException($"unit '{unit}' needs the default policy for units of kind {kind}, which the ledger never records");
        _units.Register(unit, id, _budgets[id].Width);
    }

    private void Join(string cohort, IEnumerable<string> units)
    {
        var kind = _cohortKinds.TryGetValue(cohort, out var k) ? k : throw new InvalidDataException($"cohort '{cohort}' was never created");
        var joined = new Dictionary<UnitShares.Share, UnitShares.Share>();
        foreach (var unit in units)
        {
            Register(unit, kind);
            var from = _units.Of(unit);
            if (!joined.TryGetValue(from, out var to))
            {
                joined[from] = to = _units.Derive(from, cohort: cohort);
            }
            _units.Move(unit, to);
        }
    }

    // One step: the task pays the event on its grid; each member still in the task pays it on its budget's grid (at
    // its own sensitivity if the entry gives one), except those the entry excludes, from this step on.
    private void Charge(JsonElement charge)
    {
        var task = Task(Text(charge, "task"));
        var step = charge.GetProperty("step").GetInt64();
        if (step != task.Charges)
        {
            throw new InvalidDataException($"step {step} of task '{task.Id}' is charged after {task.Charges} steps");
        }
        var json = charge.GetProperty("event").GetRawText();
        task.Spent = Upward.Add(task.Spent, _costs.Curve(json, task.Grid, task.Relation));
        task.SpentRho = task.SpentRho is { } spent && _costs.Rho(json) is { } rho ? Upward.Add(spent, rho) : null;
        task.Charges++;
        task.State = "running";

        var excluded = new Dictionary<UnitShares.Share, UnitShares.Share>();
        foreach (var unit in Strings(charge, "excludedUnits"))
        {
            var from = _units.Of(unit);
            if (!excluded.TryGetValue(from, out var to))
            {
                excluded[from] = to = _units.Derive(from, excludedFrom: task.Id);
            }
            _units.Move(unit, to);
        }
        var factors = new Dictionary<UnitShares.Share, double>();
        var split = new Dictionary<(UnitShares.Share, double), UnitShares.Share>();
        foreach (var entry in charge.GetProperty("sensitivities").EnumerateArray())
        {
            var (unit, factor) = (Text(entry, "unit"), entry.GetProperty("sensitivity").GetDouble());
            var from = _units.Of(unit);
            if (factor >= 1 || !from.TakesPart(task))
            {
                continue;
            }
            if (!split.TryGetValue((from, factor), out var to))
            {
                split[(from, factor)] = to = _units.Derive(from);
                factors[to] = factor;
            }
            _units.Move(unit, to);
        }
        foreach (var share in _units.InCohort(task.Cohort).Where(s => !s.Excluded.Contains(task.Id)))
        {
            var cost = _costs.Unit(json, _budgets[share.Budget], task.Relation, factors.GetValueOrDefault(share, 1));
            share.Spent = Upward.Add(share.Spent, cost);
        }
    }

    private LedgerTotals Totals(ChainResult chain)
    {
        var byShare = new Dictionary<UnitShares.Share, (long Budget, CurveDto Spent, double? Epsilon, double? Rho, bool Within)>();
        var units = new List<UnitTotal>(_units.Units.Count);
        foreach (var (unit, share) in _units.Units.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            if (!byShare.TryGetValue(share, out var total))
            {
                var budget = _budgets[share.Budget];
                byShare[share] = total = (share.Budget,
                    budget.IsZcdp ? new CurveDto("zcdp", [], [share.Spent[0]]) : CurveDto.From(budget.Grid, share.Spent),
                    budget.EpsilonSpent(share.Spent), budget.IsZcdp ? share.Spent[0] : null, budget.Within(share.Spent));
            }
            units.Add(new UnitTotal(unit, total.Budget, total.Spent, total.Epsilon, total.Rho, total.Within));
        }
        return new LedgerTotals(chain.Entries, chain.HeadSeq, chain.HeadHash, _unknownEntries,
            [.. _tasks.Values.OrderBy(t => t.Id, StringComparer.Ordinal).Select(t => t.Total())], units);
    }

    private ReplayTask Task(string id) => _tasks.TryGetValue(id, out var task) ? task : throw new InvalidDataException($"task '{id}' was never created");

    private static long? BudgetId(JsonElement payload) => payload.TryGetProperty("budgetId", out var id) ? id.GetInt64() : null;

    private static string Text(JsonElement payload, string name) =>
        payload.GetProperty(name).GetString() ?? throw new InvalidDataException($"\"{name}\" is null");

    private static IEnumerable<string> Strings(JsonElement payload, string name) =>
        payload.GetProperty(name).EnumerateArray().Select(e => e.GetString() ?? throw new InvalidDataException($"\"{name}\" holds a null"));
}
