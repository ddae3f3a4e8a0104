using System.Collections.Concurrent;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Storage;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Accountant.Domain;

/// <summary>
/// Budgets by id, the default policies (one per unit kind: an example, a user and a client are protected under
/// separate policies), and the rules a budget definition must meet.
/// </summary>
public sealed class BudgetBook
{
    private const string DefaultKey = "defaultBudgetId:";
    private const string RecordedKey = "defaultBudgetsInLedger";
    private const int Capacity = 4096;

    // Keyed by the row as read in the caller's transaction, not by id: a default policy is edited in place, possibly
    // by another replica, and a transaction that rolls back or is retried must leave nothing that others would read.
    private readonly ConcurrentDictionary<BudgetRow, Budget> _budgets = new();

    /// <summary>The budget with this id, as the session sees it.</summary>
    public Budget Get(IStoreSession session, long id)
    {
        ArgumentNullException.ThrowIfNull(session);
        var row = session.GetBudget(id) ?? throw new InvalidOperationException($"budget {id} is missing");
        if (_budgets.Count > Capacity)
        {
            _budgets.Clear();
        }
        return _budgets.GetOrAdd(row, ToBudget);
    }

    /// <summary>
    /// The budget with this id, locked (shared) for a write that puts units or spending under it: its grid, and so the
    /// width of their curves, cannot change until the write commits.
    /// </summary>
    public Budget Locked(IStoreSession session, long id)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.LockBudget(id, exclusive: false);
        return Get(session, id);
    }

    /// <summary>The default policy of a unit kind; policies are seeded from the options on first use of a database.</summary>
    public Budget Default(IStoreSession session, UnitKind kind) => Get(session, DefaultId(session, kind));

    /// <summary>The default policy of a unit kind, <see cref="Locked"/>.</summary>
    public Budget DefaultLocked(IStoreSession session, UnitKind kind) => Locked(session, DefaultId(session, kind));

    /// <summary>
    /// Stores the default policy of every unit kind from the options where the database has none yet, and records the
    /// policies in the ledger once, so that an auditor knows every unit's budget from the ledger alone (a ledger begun
    /// before policies were recorded gets them appended at its first start with this version).
    /// </summary>
    public void Seed(IStoreSession session, DefaultBudgetOptions options, Ledger ledger)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ledger);
        foreach (var kind in Enum.GetValues<UnitKind>())
        {
            if (session.GetSetting(DefaultKey + Names.Of(kind)) is null)
            {
                var row = Validate(new BudgetDto(options.Epsilon, options.Delta, options.Rho, options.Grid, options.Relation, kind), "Accountant:DefaultBudget");
                session.SetSetting(DefaultKey + Names.Of(kind), session.FindOrAddBudget(row).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        if (session.GetSetting(RecordedKey) is null)
        {
            foreach (var kind in Enum.GetValues<UnitKind>())
            {
                var policy = Default(session, kind);
                ledger.Append(session, LedgerKinds.DefaultBudgetSet, null, PolicyEntry(policy.Id, ToDto(policy)));
            }
            session.SetSetting(RecordedKey, "true");
        }
    }

    /// <summary>
    /// The ledger payload of a default policy: the policy and the id of the budget it is stored as. Units on that
    /// budget (including overrides that happened to equal the policy and share its row) follow its edits.
    /// </summary>
    public static object PolicyEntry(long budgetId, BudgetDto policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new { budgetId, policy.Epsilon, policy.Delta, policy.Rho, policy.Grid, policy.Relation, policy.UnitKind };
    }

    /// <summary>
    /// Replaces a unit kind's default policy in place; its grid, kind and relation may change only before anything is
    /// spent under it.
    /// </summary>
    public BudgetRow SetDefault(IStoreSession session, UnitKind unitKind, BudgetDto policy)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(policy);
        var id = DefaultId(session, unitKind);
        session.LockBudget(id, exclusive: true); // no write puts units or spending under it until this commits
        var current = Get(session, id);
        if (policy.UnitKind != unitKind)
        {
            throw ProblemException.Invalid("unitKind", $"this is the policy for units of kind {Names.Of(unitKind)}");
        }
        var updated = Validate(policy, "") with { Id = id };
        var reshaped = updated.Grid != current.Grid.Key || (updated.Rho is null) == current.IsZcdp || updated.Relation != current.Relation;
        if (reshaped && session.BudgetHasSpending(id))
        {
            throw ProblemException.ForField(ProblemKind.Conflict, "grid",
                "units have spent under this policy: only its ε, δ or ρ may change, not its grid, kind or relation");
        }
        session.UpdateBudget(updated);
        if (reshaped)
        {
            // Its units have spent nothing: their (zero) curves take the new grid's width.
            session.ResetGroupCurves(id, ToBudget(updated).Width);
        }
        return updated;
    }

    /// <summary>A budget row from a definition, or a 400 naming the first bad field below <paramref name="path"/>.</summary>
    public static BudgetRow Validate(BudgetDto budget, string path)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var prefix = path.Length == 0 ? "" : path + ".";
        if (budget.Rho is { } rho)
        {
            if (budget.Epsilon is not null || budget.Delta is not null)
            {
                throw ProblemException.Invalid($"{prefix}rho", "give either rho or epsilon and delta, not both");
            }
            if (!(double.IsFinite(rho) && rho > 0))
            {
                throw ProblemException.Invalid($"{prefix}rho", "must be a finite number > 0");
            }
        }
        else
        {
            if (budget.Epsilon is not { } epsilon || !(double.IsFinite(epsilon) && epsilon > 0))
            {
                throw ProblemException.Invalid($"{prefix}epsilon", "must be a finite number > 0 (or give rho)");
            }
            if (budget.Delta is not { } delta || !(delta > 0 && delta < 1))
            {
                throw ProblemException.Invalid($"{prefix}delta", "must be a number in (0, 1)");
            }
        }
        Grid(budget.Grid, $"{prefix}grid");
        if (!Enum.IsDefined(budget.Relation))
        {
            throw ProblemException.Invalid($"{prefix}relation", "must be addOrRemoveOne or replaceOne");
        }
        if (!Enum.IsDefined(budget.UnitKind))
        {
            throw ProblemException.Invalid($"{prefix}unitKind", "must be example, user, client or task");
        }
        return new BudgetRow(0, budget.Epsilon, budget.Delta, budget.Rho, budget.Grid, budget.Relation, budget.UnitKind);
    }

    /// <summary>The grid with this key, or a 400 naming <paramref name="field"/>.</summary>
    public static OrderGrid Grid(string? key, string field) =>
        key is not null && OrderGrids.TryGet(key, out var grid)
            ? grid
            : throw ProblemException.Invalid(field, $"must be one of {string.Join(", ", OrderGrids.All.Select(g => g.Key))}");

    /// <summary>The API form of a budget.</summary>
    public static BudgetDto ToDto(Budget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        return new(budget.Epsilon, budget.Delta, budget.Rho, budget.Grid.Key, budget.Relation, budget.UnitKind);
    }

    private static long DefaultId(IStoreSession session, UnitKind kind)
    {
        ArgumentNullException.ThrowIfNull(session);
        var id = session.GetSetting(DefaultKey + Names.Of(kind)) ?? throw new InvalidOperationException("the default budgets are not seeded");
        return long.Parse(id, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Budget ToBudget(BudgetRow row) =>
        new(row.Id, row.Epsilon, row.Delta, row.Rho, Grid(row.Grid, "grid"), row.Relation, row.UnitKind);
}
