namespace Accounting.Accountant.Domain;

/// <summary>The kinds of ledger entry; each entry's payload is the JSON of the matching record in the domain.</summary>
public static class LedgerKinds
{
    /// <summary>A unit kind's default policy, as seeded (recorded once, at start-up) or changed, with its budget's id.</summary>
    public const string DefaultBudgetSet = "defaultBudgetSet";

    /// <summary>A unit got its own budget.</summary>
    public const string UnitBudgetSet = "unitBudgetSet";

    /// <summary>Units were registered.</summary>
    public const string UnitsRegistered = "unitsRegistered";

    /// <summary>A cohort was created.</summary>
    public const string CohortCreated = "cohortCreated";

    /// <summary>Units joined a cohort.</summary>
    public const string CohortMembersAdded = "cohortMembersAdded";

    /// <summary>A task was created and calibrated.</summary>
    public const string TaskCreated = "taskCreated";

    /// <summary>A task changed state (completed, cancelled, exhausted).</summary>
    public const string TaskStateChanged = "taskStateChanged";

    /// <summary>A step was charged.</summary>
    public const string Charge = "charge";

    /// <summary>An API key was created (its id, name and role; never the key), so that actors can be named.</summary>
    public const string KeyCreated = "keyCreated";

    /// <summary>An API key was revoked.</summary>
    public const string KeyRevoked = "keyRevoked";
}
