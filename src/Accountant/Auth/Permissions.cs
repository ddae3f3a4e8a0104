using Accounting.Accountant.Contracts;
using static Accounting.Accountant.Contracts.KeyRole;

namespace Accounting.Accountant.Auth;

/// <summary>Who may call an endpoint: nobody needs a key (<see cref="Open"/>), or a key with one of <see cref="Roles"/>.</summary>
/// <param name="Open">True for endpoints that take no key.</param>
/// <param name="Roles">The roles admitted when a key is needed.</param>
public sealed record Access(bool Open, IReadOnlyList<KeyRole> Roles)
{
    /// <summary>The roles as named in the API (admin, trainer, auditor).</summary>
    public IEnumerable<string> RoleNames => Roles.Select(Storage.Names.Of);
}

/// <summary>
/// The authorization matrix, by endpoint name: the one place that says who may call what (applied to every endpoint
/// by <see cref="PermissionConventions.RequirePermissions{TBuilder}"/>). An endpoint missing here admits no key at all,
/// so a new endpoint fails closed until it gets a row. Task routes admit trainers only for the tasks their key
/// created; another trainer's task answers 404, so that task ids are not revealed (OWASP API Security Top 10
/// 2023, API1 Broken Object Level Authorization).
/// </summary>
public static class Permissions
{
    private static readonly Access Open = new(true, []);

    /// <summary>Who may call each endpoint.</summary>
    public static IReadOnlyDictionary<string, Access> ByEndpoint { get; } = new Dictionary<string, Access>(StringComparer.Ordinal)
    {
        ["Health"] = Open, // liveness probes carry no key
        // stateless calculators
        ["Epsilon"] = Keys(Admin, Trainer, Auditor),
        ["Delta"] = Keys(Admin, Trainer, Auditor),
        ["Calibrate"] = Keys(Admin, Trainer, Auditor),
        // default budgets
        ["GetDefaultBudget"] = Keys(Admin, Auditor),
        ["SetDefaultBudget"] = Keys(Admin),
        // units: per-unit budgets and spend are for admins and auditors only (SPEC §4)
        ["RegisterUnits"] = Keys(Admin, Trainer),
        ["GetUnit"] = Keys(Admin, Auditor),
        ["SetUnitBudget"] = Keys(Admin),
        // cohorts
        ["CreateCohort"] = Keys(Admin, Trainer),
        ["AddCohortMembers"] = Keys(Admin, Trainer),
        ["GetCohort"] = Keys(Admin, Trainer, Auditor),
        // tasks: trainers reach only their own (Domain/TaskManager.Find)
        ["CreateTask"] = Keys(Admin, Trainer),
        ["GetTask"] = Keys(Admin, Trainer, Auditor),
        ["GetTaskExclusions"] = Keys(Admin, Trainer, Auditor),
        ["ChargeStep"] = Keys(Admin, Trainer),
        ["CompleteTask"] = Keys(Admin, Trainer),
        ["CancelTask"] = Keys(Admin, Trainer),
        // audit and operations
        ["ExportLedger"] = Keys(Admin, Auditor),
        ["GetLedgerHead"] = Keys(Admin, Auditor),
        ["Metrics"] = Keys(Admin, Auditor),
        // keys
        ["CreateKey"] = Keys(Admin),
        ["ListKeys"] = Keys(Admin),
        ["RevokeKey"] = Keys(Admin),
    };

    /// <summary>Who may call the endpoint named <paramref name="endpointName"/>: nobody when it has no row.</summary>
    public static Access For(string? endpointName) =>
        endpointName is not null && ByEndpoint.TryGetValue(endpointName, out var access) ? access : new Access(false, []);

    private static Access Keys(params KeyRole[] roles) => new(false, roles);
}
