using Accounting.Accountant.Contracts;
using Accounting.Accountant.Storage;

namespace Accounting.Accountant.Domain;

/// <summary>Cohorts and their membership, added in large batches.</summary>
public sealed class CohortRegistry(IAccountingStore store, BudgetBook budgets, Ledger ledger)
{
    /// <summary>Creates a cohort, with its first members if given.</summary>
    public async Task<CohortResponse> CreateAsync(CreateCohortRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = Ids.Require(request.Id, "id");
        if (!Enum.IsDefined(request.UnitKind))
        {
            throw ProblemException.Invalid("unitKind", "must be example, user, client or task");
        }
        var members = request.Members is null ? [] : Ids.RequireAll(request.Members, "members", UnitRegistry.MaxBatch);
        return await store.WriteAsync(session =>
        {
            if (session.GetCohort(id) is not null)
            {
                throw ProblemException.ForField(ProblemKind.Conflict, "id", $"cohort '{id}' exists already");
            }
            session.AddCohort(new CohortRow(id, request.UnitKind, 0, ledger.Now));
            ledger.Append(session, LedgerKinds.CohortCreated, null, new { cohort = id, unitKind = request.UnitKind });
            Join(session, session.GetCohort(id)!, members);
            return ToResponse(session.GetCohort(id)!);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a batch of members; units are registered under the default budget if new.</summary>
    public Task<AddMembersResponse> AddMembersAsync(string cohortId, AddMembersRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ids = Ids.RequireAll(request.Units, "units", UnitRegistry.MaxBatch);
        return store.WriteAsync(session =>
        {
            if (session.GetCohort(cohortId) is null)
            {
                throw ProblemException.NotFound("cohort", cohortId);
            }
            session.LockCohort(cohortId, exclusive: true); // the charges of its tasks wait: its membership changes
            var added = Join(session, session.GetCohort(cohortId)!, ids);
            return new AddMembersResponse(added, ids.Count - added, session.GetCohort(cohortId)!.Members);
        }, cancellationToken);
    }

    /// <summary>A cohort's size and kind.</summary>
    public Task<CohortResponse> GetAsync(string id, CancellationToken cancellationToken) =>
        store.ReadAsync(session => ToResponse(session.GetCohort(id) ?? throw ProblemException.NotFound("cohort", id)), cancellationToken);

    // New units start under the default policy of the cohort's unit kind; existing units must be of that kind.
    private int Join(IStoreSession session, CohortRow cohort, IReadOnlyList<string> ids)
    {
        if (ids.Count == 0)
        {
            return 0;
        }
        var fresh = Groups.Fresh(session, budgets.DefaultLocked(session, cohort.UnitKind));
        var added = session.AddCohortMembers(cohort.Id, ids, fresh, group =>
        {
            var kind = budgets.Locked(session, group.BudgetId).UnitKind;
            return kind == cohort.UnitKind
                ? Groups.AfterJoining(session, group, cohort.Id)
                : throw ProblemException.Invalid("units", $"some units are of kind {Names.Of(kind)}; cohort '{cohort.Id}' holds {Names.Of(cohort.UnitKind)} units");
        });
        session.PruneEmptyGroups();
        ledger.Append(session, LedgerKinds.CohortMembersAdded, null, new { cohort = cohort.Id, units = added });
        return added.Count;
    }

    private static CohortResponse ToResponse(CohortRow cohort) => new(cohort.Id, cohort.UnitKind, cohort.Members, cohort.CreatedAt);
}
