using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;

namespace Accounting.Accountant.Storage;

/// <summary>The operations the domain runs inside one transaction, one group of methods per table.</summary>
public interface IStoreSession
{
    // row locks: where writes run concurrently (PostgreSQL, READ COMMITTED), a write takes them before it reads what it
    // will change, and holds them until it commits; where writes run one at a time (SQLite) they lock nothing

    /// <summary>Locks a task: its charges, completion and cancellation run one at a time.</summary>
    void LockTask(string id);

    /// <summary>Locks a cohort: shared by the charges of its tasks, exclusive for changes to its membership.</summary>
    void LockCohort(string id, bool exclusive);

    /// <summary>Locks a budget: shared by the charges that cost events under it, exclusive for edits of it.</summary>
    void LockBudget(long id, bool exclusive);

    /// <summary>
    /// The groups with these ids that exist, locked (in id order): a group's spent curve, exclusions and members change
    /// only under its lock, so what is read here stays true until commit.
    /// </summary>
    IReadOnlyList<GroupRow> LockGroups(IReadOnlyCollection<long> ids);

    // settings

    /// <summary>A setting's value, if set.</summary>
    string? GetSetting(string key);

    /// <summary>Sets a setting.</summary>
    void SetSetting(string key, string value);

    // budgets

    /// <summary>The budget with this id.</summary>
    BudgetRow? GetBudget(long id);

    /// <summary>The id of a budget equal to <paramref name="budget"/> (its id ignored), added if none is.</summary>
    long FindOrAddBudget(BudgetRow budget);

    /// <summary>Overwrites a budget's limits in place (the default policy).</summary>
    void UpdateBudget(BudgetRow budget);

    // unit groups

    /// <summary>The group with this id.</summary>
    GroupRow GetGroup(long id);

    /// <summary>The group with this id, or null when there is none (a write elsewhere may have emptied and pruned it).</summary>
    GroupRow? FindGroup(long id);

    /// <summary>A group with exactly this content, or a new one.</summary>
    long FindOrAddGroup(long budgetId, IReadOnlyList<string> cohorts, IReadOnlyList<string> excluded, double[] spent);

    /// <summary>A new group with this content, even if an equal one exists (to split members off).</summary>
    long AddGroup(long budgetId, IReadOnlyList<string> cohorts, IReadOnlyList<string> excluded, double[] spent);

    /// <summary>Stores a group's spent curve and exclusions.</summary>
    void UpdateGroup(GroupRow group);

    /// <summary>
    /// Groups with members in the cohort that are not excluded from the task, locked (<see cref="LockGroups"/>): with
    /// the cohort locked too, no unit can join or leave them until commit.
    /// </summary>
    IReadOnlyList<GroupRow> GroupsCharged(string cohortId, string taskId);

    /// <summary>Distinct budgets of the groups with members in the cohort.</summary>
    IReadOnlyList<long> BudgetsInCohort(string cohortId);

    /// <summary>Gives every group on this budget a zero spent curve of this width (its grid changed before any spending).</summary>
    void ResetGroupCurves(long budgetId, int width);

    /// <summary>Whether any group on this budget has spent anything.</summary>
    bool BudgetHasSpending(long budgetId);

    /// <summary>The tasks a group took part in.</summary>
    IReadOnlyList<GroupTaskRow> GetGroupTasks(long groupId);

    /// <summary>Copies the task history of one group to another (when members move).</summary>
    void CopyGroupTasks(long fromGroupId, long toGroupId);

    /// <summary>Records that a group paid a task's step.</summary>
    void RecordGroupStep(long groupId, string taskId, long stepIndex);

    /// <summary>Records that a group was excluded from a task at a step.</summary>
    void RecordGroupExclusion(long groupId, string taskId, long stepIndex);

    // units

    /// <summary>The unit with this id.</summary>
    UnitRow? GetUnit(string id);

    /// <summary>The units with these ids that exist.</summary>
    IReadOnlyList<UnitRow> GetUnits(IReadOnlyCollection<string> ids);

    /// <summary>Members of a group that carry a delta.</summary>
    IReadOnlyList<UnitRow> UnitsWithDelta(long groupId);

    /// <summary>Ids of a group's members, ascending.</summary>
    IReadOnlyList<string> MemberIds(long groupId);

    /// <summary>Adds units that do not exist yet to a group; returns how many were added.</summary>
    int AddUnits(IReadOnlyCollection<string> ids, long groupId);

    /// <summary>Moves the given members of one group to another, keeping member counts.</summary>
    void MoveUnits(IReadOnlyCollection<string> ids, long fromGroupId, long toGroupId);

    /// <summary>Changes units' deltas.</summary>
    void SetDeltas(IReadOnlyList<DeltaChange> changes);

    /// <summary>Units excluded from a task, ascending by id after <paramref name="after"/>.</summary>
    IReadOnlyList<string> ExcludedUnits(string taskId, string? after, int limit);

    /// <summary>Deletes groups left without members, with their cohort and task rows.</summary>
    void PruneEmptyGroups();

    // cohorts

    /// <summary>The cohort with this id.</summary>
    CohortRow? GetCohort(string id);

    /// <summary>Adds an empty cohort.</summary>
    void AddCohort(CohortRow cohort);

    /// <summary>
    /// Adds units (creating missing ones in <paramref name="newUnitGroupId"/>) to a cohort, moving each to the group
    /// chosen by <paramref name="groupAfterJoining"/> for its current group; returns the ids that were not members yet.
    /// </summary>
    IReadOnlyList<string> AddCohortMembers(string cohortId, IReadOnlyList<string> ids, long newUnitGroupId, Func<GroupRow, long> groupAfterJoining);

    // tasks

    /// <summary>The task with this id.</summary>
    TaskRow? GetTask(string id);

    /// <summary>Adds a task.</summary>
    void AddTask(TaskRow task);

    /// <summary>Stores a task's state, next step and totals.</summary>
    void UpdateTask(TaskRow task);

    /// <summary>Members of the cohort not excluded from the task.</summary>
    long ParticipatingUnits(string cohortId, string taskId);

    /// <summary>Members excluded from the task.</summary>
    long ExcludedCount(string taskId);

    // charges

    /// <summary>The accepted charge at a step.</summary>
    ChargeRow? GetCharge(string taskId, long stepIndex);

    /// <summary>The accepted charge with an idempotency key.</summary>
    ChargeRow? GetChargeByKey(string taskId, string key);

    /// <summary>Records an accepted charge's answer.</summary>
    void AddCharge(ChargeRow charge);

    // API keys

    /// <summary>The key with this id, revoked or not.</summary>
    ApiKeyRow? GetKey(string id);

    /// <summary>Every key, oldest first.</summary>
    IReadOnlyList<ApiKeyRow> ListKeys();

    /// <summary>Keys of a role that are not revoked.</summary>
    long ActiveKeys(KeyRole role);

    /// <summary>Adds a key.</summary>
    void AddKey(ApiKeyRow key);

    /// <summary>Marks a key revoked.</summary>
    void RevokeKey(string id, DateTimeOffset at);

    // ledger

    /// <summary>
    /// Appends an entry, chained to the one before it: at once, or, where the store seals entries after their
    /// transaction commits, before the write is acknowledged.
    /// </summary>
    void AppendLedger(LedgerEntry entry);

    /// <summary>Ledger entries that pass the filter, in order, after a sequence number.</summary>
    IReadOnlyList<LedgerRow> ReadLedger(LedgerFilter filter, long afterSeq, int limit);

    /// <summary>The last entry before a sequence number (the head for <see cref="long.MaxValue"/>), if any.</summary>
    LedgerRow? LedgerEntryBefore(long seq);

    /// <summary>The first entries without a hash (written before the chain existed), in order.</summary>
    IReadOnlyList<LedgerRow> UnhashedLedger(int limit);

    /// <summary>Stores an entry's link in the chain.</summary>
    void SetLedgerHash(long seq, byte[] prevHash, byte[] hash);
}
