using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Accounting.Accountant.Endpoints;

/// <summary>Cohorts: named sets of units that tasks train on.</summary>
public static class CohortEndpoints
{
    /// <summary>Maps the cohort endpoints.</summary>
    public static RouteGroupBuilder MapCohortEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/", Create).WithName("CreateCohort").WithExample(Examples.CreateCohort).AllowsBulkBody()
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id}", Get).WithName("GetCohort").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/members", AddMembers).WithName("AddCohortMembers").WithExample(Examples.AddMembers).AllowsBulkBody()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group.WithTags("Cohorts").ProducesValidationProblem();
    }

    /// <summary>Creates a cohort, optionally with its first members.</summary>
    /// <param name="request">Id, unit kind and optional members.</param>
    public static async Task<Created<CohortResponse>> Create(CreateCohortRequest request, CohortRegistry cohorts, CancellationToken cancellationToken)
    {
        var cohort = await cohorts.CreateAsync(request, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/v1/cohorts/{Uri.EscapeDataString(cohort.Id)}", cohort);
    }

    /// <summary>A cohort's kind and size.</summary>
    /// <param name="id">The cohort's id.</param>
    public static async Task<Ok<CohortResponse>> Get(string id, CohortRegistry cohorts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await cohorts.GetAsync(id, cancellationToken).ConfigureAwait(false));

    /// <summary>Adds a batch of members (up to 1,000,000 ids); new units are registered under the default budget.</summary>
    /// <param name="id">The cohort's id.</param>
    /// <param name="request">The unit ids.</param>
    public static async Task<Ok<AddMembersResponse>> AddMembers(string id, AddMembersRequest request, CohortRegistry cohorts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await cohorts.AddMembersAsync(id, request, cancellationToken).ConfigureAwait(false));
}
