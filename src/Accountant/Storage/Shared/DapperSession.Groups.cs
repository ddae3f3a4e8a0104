using System.Text.Json;
using Dapper;

namespace Accounting.Accountant.Storage.Shared;

internal abstract partial class DapperSession
{
    private const string GroupColumns =
        "g.id AS Id, g.budget_id AS BudgetId, g.cohorts AS Cohorts, g.excluded AS Excluded, g.base AS Base, g.members AS Members";

    /// <inheritdoc />
    public GroupRow GetGroup(long id) => FindGroup(id) ?? throw new InvalidOperationException($"unit group {id} does not exist");

    /// <inheritdoc />
    public GroupRow? FindGroup(long id) =>
        Single<StoredGroup>($"SELECT {GroupColumns} FROM unit_groups g WHERE g.id = @id", new { id })?.ToRow();

    /// <inheritdoc />
    public long FindOrAddGroup(long budgetId, IReadOnlyList<string> cohorts, IReadOnlyList<string> excluded, double[] spent)
    {
        var content = GroupContent.Hash(budgetId, cohorts, excluded, spent);
        // Locked where writes run concurrently: a group found here is joined by this write's units, so its content must
        // not change until commit (a lock that waited re-checks the content, and finds nothing if it changed).
        return Single<long?>($"SELECT id FROM unit_groups WHERE content = @content ORDER BY id LIMIT 1{ForUpdate()}", new { content })
            ?? AddGroup(budgetId, cohorts, excluded, spent);
    }

    /// <inheritdoc />
    public long AddGroup(long budgetId, IReadOnlyList<string> cohorts, IReadOnlyList<string> excluded, double[] spent)
    {
        var id = Single<long>(
            """
            INSERT INTO unit_groups (budget_id, cohorts, excluded, base, members, content)
            VALUES (@budgetId, @cohorts, @excluded, @base, 0, @content) RETURNING id
            """,
            new
            {
                budgetId,
                cohorts = JsonSerializer.Serialize(cohorts),
                excluded = JsonSerializer.Serialize(excluded),
                @base = CurveBytes.From(spent),
                content = GroupContent.Hash(budgetId, cohorts, excluded, spent),
            });
        foreach (var cohortId in cohorts)
        {
            Execute("INSERT INTO group_cohorts (cohort_id, group_id) VALUES (@cohortId, @id)", new { cohortId, id });
        }
        return id;
    }

    /// <inheritdoc />
    public void UpdateGroup(GroupRow group) =>
        Execute(
            "UPDATE unit_groups SET base = @base, excluded = @excluded, content = @content WHERE id = @Id",
            new
            {
                group.Id,
                @base = CurveBytes.From(group.Base),
                excluded = JsonSerializer.Serialize(group.Excluded),
                content = GroupContent.Hash(group.BudgetId, group.Cohorts, group.Excluded, group.Base),
            });

    /// <inheritdoc />
    public IReadOnlyList<GroupRow> GroupsCharged(string cohortId, string taskId)
    {
        var groups = ListCharged(cohortId, taskId, locking: true);
        // A locking statement that waited sees neither what the write it waited for created nor the rows it deleted: a
        // group split off and committed meanwhile is missing, and a wait for it in a second locking listing can end
        // with it deleted too. So list again without locks (a fresh look that waits for nothing) until every group
        // listed is one this write holds. Then none is missing: with the cohort locked, units reach its groups only from
        // another of them that this task is charged in (a group excluded from it passes the exclusion on), under that
        // group's lock.
        var held = groups.Select(g => g.Id).ToHashSet();
        while (LocksRows)
        {
            var listed = ListCharged(cohortId, taskId, locking: false);
            if (listed.TrueForAll(g => held.Contains(g.Id)))
            {
                return listed;
            }
            held.UnionWith(LockGroups([.. listed.Select(g => g.Id)]).Select(g => g.Id));
        }
        return groups;
    }

    private List<GroupRow> ListCharged(string cohortId, string taskId, bool locking) =>
        [.. Query<StoredGroup>(
            $"""
            SELECT {GroupColumns} FROM group_cohorts gc JOIN unit_groups g ON g.id = gc.group_id
            WHERE gc.cohort_id = @cohortId AND g.members > 0
              AND NOT EXISTS (SELECT 1 FROM group_tasks t WHERE t.group_id = g.id AND t.task_id = @taskId AND t.excluded_step IS NOT NULL)
            ORDER BY gc.group_id{(locking ? ForUpdate("g") : "")}
            """, new { cohortId, taskId }).Select(g => g.ToRow())]; // the key's order (cohort, group): no sort

    /// <inheritdoc />
    public IReadOnlyList<long> BudgetsInCohort(string cohortId) =>
        Query<long>(
            """
            SELECT DISTINCT g.budget_id FROM group_cohorts gc JOIN unit_groups g ON g.id = gc.group_id
            WHERE gc.cohort_id = @cohortId AND g.members > 0
            """, new { cohortId });

    /// <inheritdoc />
    public void ResetGroupCurves(long budgetId, int width)
    {
        var groups = Query<StoredGroup>($"SELECT {GroupColumns} FROM unit_groups g WHERE g.budget_id = @budgetId ORDER BY g.id{ForUpdate()}", new { budgetId });
        foreach (var group in groups.Select(g => g.ToRow()))
        {
            UpdateGroup(group with { Base = new double[width] });
        }
    }

    /// <inheritdoc />
    public bool BudgetHasSpending(long budgetId) =>
        Query<byte[]>("SELECT base FROM unit_groups WHERE budget_id = @budgetId AND members > 0", new { budgetId })
            .Any(b => CurveBytes.To(b).Any(v => v != 0));

    /// <inheritdoc />
    public IReadOnlyList<GroupTaskRow> GetGroupTasks(long groupId) =>
        Query<GroupTaskRow>(
            """
            SELECT task_id AS TaskId, first_step AS FirstStep, last_step AS LastStep, excluded_step AS ExcludedStep
            FROM group_tasks WHERE group_id = @groupId ORDER BY first_step, task_id
            """, new { groupId });

    /// <inheritdoc />
    public void CopyGroupTasks(long fromGroupId, long toGroupId) =>
        Execute(
            """
            INSERT INTO group_tasks (group_id, task_id, first_step, last_step, excluded_step)
            SELECT @toGroupId, task_id, first_step, last_step, excluded_step FROM group_tasks WHERE group_id = @fromGroupId
            ON CONFLICT (group_id, task_id) DO NOTHING
            """, new { fromGroupId, toGroupId });

    /// <inheritdoc />
    public void RecordGroupStep(long groupId, string taskId, long stepIndex) =>
        Execute(
            """
            INSERT INTO group_tasks (group_id, task_id, first_step, last_step) VALUES (@groupId, @taskId, @step, @step)
            ON CONFLICT (group_id, task_id) DO UPDATE SET last_step = excluded.last_step
            """, new { groupId, taskId, step = stepIndex });

    /// <inheritdoc />
    public void RecordGroupExclusion(long groupId, string taskId, long stepIndex) =>
        Execute(
            """
            INSERT INTO group_tasks (group_id, task_id, first_step, excluded_step) VALUES (@groupId, @taskId, @step, @step)
            ON CONFLICT (group_id, task_id) DO UPDATE SET excluded_step = excluded.excluded_step
            """, new { groupId, taskId, step = stepIndex });

    /// <inheritdoc />
    public void PruneEmptyGroups() =>
        Execute(
            """
            DELETE FROM group_cohorts WHERE group_id IN (SELECT id FROM unit_groups WHERE members = 0);
            DELETE FROM group_tasks WHERE group_id IN (SELECT id FROM unit_groups WHERE members = 0);
            DELETE FROM unit_groups WHERE members = 0;
            """);

    /// <summary>Counts units into (or, negative, out of) a group.</summary>
    protected void AddMembers(long groupId, long count) =>
        Execute("UPDATE unit_groups SET members = members + @count WHERE id = @groupId", new { groupId, count });
}
