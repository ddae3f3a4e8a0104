namespace Accounting.Accountant.Storage.Shared;

internal abstract partial class DapperSession
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

    /// <inheritdoc cref="IStoreSession.AddCohortMembers"/>
    public virtual IReadOnlyList<string> AddCohortMembers(
        string cohortId, IReadOnlyList<string> ids, long newUnitGroupId, Func<GroupRow, long> groupAfterJoining)
    {
        // The batch goes through a temporary table so that every step below is one set-based statement.
        StageIncoming(ids);
        // Looked up by primary key, one per incoming id: the cohort's existing members are never scanned.
        Execute(
            "DELETE FROM incoming WHERE EXISTS (SELECT 1 FROM cohort_members m WHERE m.cohort_id = @cohortId AND m.unit_id = incoming.id)",
            new { cohortId });

        var byGroup = IncomingByGroup();
        // Where writes run concurrently, the groups the incoming units leave are locked before their state is read, and
        // listed again under the locks until no unit has moved meanwhile (a unit moves only under its group's lock).
        while (LocksRows)
        {
            LockGroups([.. byGroup.Select(g => g.GroupId)]);
            var again = IncomingByGroup();
            if (again.SequenceEqual(byGroup))
            {
                break;
            }
            byGroup = again;
        }
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
        // New units are written once, straight into the group they join (not created in newUnitGroupId and then moved).
        // WHERE true: SQLite reads ON CONFLICT after a bare SELECT as a join constraint.
        var joined = groupAfterJoining(GetGroup(newUnitGroupId));
        var created = Execute(
            "INSERT INTO units (id, group_id) SELECT id, @joined FROM incoming WHERE true ON CONFLICT (id) DO NOTHING", new { joined });
        AddMembers(joined, created);
        if (LocksRows && Single<long>(
            """
            SELECT COUNT(*) FROM incoming i JOIN units u ON u.id = i.id
            WHERE NOT EXISTS (SELECT 1 FROM group_cohorts gc WHERE gc.group_id = u.group_id AND gc.cohort_id = @cohortId)
            """, new { cohortId }) > 0)
        {
            // Another write registered some of these ids after they were found new: their groups are not this cohort's.
            throw new StoreConflictException("units of the batch were registered by another write meanwhile");
        }
        var added = Execute("INSERT INTO cohort_members (cohort_id, unit_id) SELECT @cohortId, id FROM incoming", new { cohortId });
        Execute("UPDATE cohorts SET members = members + @added WHERE id = @cohortId", new { cohortId, added });
        var addedIds = Query<string>("SELECT id FROM incoming ORDER BY id");
        Execute("DELETE FROM incoming");
        return addedIds;
    }

    private List<(long GroupId, long Count)> IncomingByGroup() =>
        Query<(long GroupId, long Count)>("SELECT u.group_id, COUNT(*) FROM incoming i JOIN units u ON u.id = i.id GROUP BY u.group_id ORDER BY u.group_id");

    /// <summary>Fills the temporary table <c>incoming(id)</c> with the distinct ids of a batch.</summary>
    protected abstract void StageIncoming(IReadOnlyList<string> ids);
}
