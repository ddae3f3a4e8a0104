namespace Accounting.Accountant.Storage.Shared;

internal abstract partial class DapperSession
{
    private const string TaskColumns =
        """
        id AS Id, cohort_id AS CohortId, unit_kind AS UnitKind, relation AS Relation, plan AS Plan, target AS Target,
        grid AS Grid, noise_multiplier AS NoiseMultiplier, clip_norm AS ClipNorm, planned_epsilon AS PlannedEpsilon,
        state AS State, next_step AS NextStep, spent AS Spent, spent_rho AS SpentRho, created_at AS CreatedAt,
        updated_at AS UpdatedAt, owner AS Owner
        """;

    /// <inheritdoc />
    public virtual TaskRow? GetTask(string id) =>
        Single<StoredTask>($"SELECT {TaskColumns} FROM tasks WHERE id = @id", new { id })?.ToRow();

    /// <inheritdoc />
    public virtual void AddTask(TaskRow task) =>
        Execute(
            """
            INSERT INTO tasks (id, cohort_id, unit_kind, relation, plan, target, grid, noise_multiplier, clip_norm,
                planned_epsilon, state, next_step, spent, spent_rho, created_at, updated_at, owner)
            VALUES (@Id, @CohortId, @UnitKind, @Relation, @Plan, @Target, @Grid, @NoiseMultiplier, @ClipNorm,
                @PlannedEpsilon, @State, @NextStep, @Spent, @SpentRho, @CreatedAt, @UpdatedAt, @Owner)
            """, StoredTask.From(task));

    /// <inheritdoc />
    public virtual void UpdateTask(TaskRow task) =>
        Execute(
            """
            UPDATE tasks SET state = @State, next_step = @NextStep, spent = @Spent, spent_rho = @SpentRho, updated_at = @UpdatedAt
            WHERE id = @Id
            """, StoredTask.From(task));

    /// <inheritdoc />
    public long ParticipatingUnits(string cohortId, string taskId) => GroupsCharged(cohortId, taskId).Sum(g => g.Members);

    /// <inheritdoc />
    public long ExcludedCount(string taskId) =>
        Single<long>(
            """
            SELECT CAST(COALESCE(SUM(g.members), 0) AS BIGINT)
            FROM group_tasks t JOIN unit_groups g ON g.id = t.group_id
            WHERE t.task_id = @taskId AND t.excluded_step IS NOT NULL
            """, new { taskId }); // a group is listed once per task (the key is (group, task)), so the join counts it once
}
