namespace Accounting.Accountant.Storage.Postgres;

internal sealed partial class PostgresSession
{
    /// <inheritdoc />
    public CohortRow? GetCohort(string id) =>
        Single<StoredCohort>(
            "SELECT id AS Id, unit_kind AS UnitKind, members AS Members, created_at AS CreatedAt FROM cohorts WHERE id = @id",
            new { id })?.ToRow();

    /// <inheritdoc />
    public void AddCohort(CohortRow cohort) =>
        Execute(
            "INSERT INTO cohorts (id, unit_kind, members, created_at) VALUES (@Id, @kind, 0, @at)",
            new { cohort.Id, kind = Names.Of(cohort.UnitKind), at = StoredTime.Text(cohort.CreatedAt) });

    /// <inheritdoc />
    public IReadOnlyList<string> AddCohortMembers(
        string cohortId, IReadOnlyList<string> ids, long newUnitGroupId, Func<GroupRow, long> groupAfterJoining)
    {
        // The batch goes through a temporary table (gone at the end of the transaction, whether it commits or not) so
        // that every step below is one set-based statement.
        Execute(
            """
            CREATE TEMP TABLE IF NOT EXISTS incoming (id text COLLATE "C" PRIMARY KEY) ON COMMIT DROP;
            DELETE FROM incoming;
            INSERT INTO incoming (id) SELECT DISTINCT unnest(@ids);
            DELETE FROM incoming WHERE id IN (SELECT unit_id FROM cohort_members WHERE cohort_id = @cohortId);
            """, new { ids = ids.ToArray(), cohortId });
        var created = Execute(
            "INSERT INTO units (id, group_id) SELECT id, @newUnitGroupId FROM incoming ON CONFLICT (id) DO NOTHING", new { newUnitGroupId });
        AddMembers(newUnitGroupId, created);

        var byGroup = Query<(long GroupId, long Count)>(
            "SELECT u.group_id, COUNT(*) FROM incoming i JOIN units u ON u.id = i.id GROUP BY u.group_id");
        foreach (var (groupId, count) in byGroup)
        {
            // Targets include the cohort and incoming units' groups do not, so no unit is moved twice.
            var target = groupAfterJoining(GetGroup(groupId));
            Execute(
                "UPDATE units SET group_id = @target WHERE id IN (SELECT id FROM incoming) AND group_id = @groupId",
                new { target, groupId });
            AddMembers(groupId, -count);
            AddMembers(target, count);
        }
        var added = Execute("INSERT INTO cohort_members (cohort_id, unit_id) SELECT @cohortId, id FROM incoming", new { cohortId });
        Execute("UPDATE cohorts SET members = members + @added WHERE id = @cohortId", new { cohortId, added });
        return Query<string>("SELECT id FROM incoming ORDER BY id");
    }
}
