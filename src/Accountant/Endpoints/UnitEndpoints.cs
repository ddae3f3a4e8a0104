using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Accounting.Accountant.Endpoints;

/// <summary>Privacy units: registration, what each has spent, and per-unit budgets.</summary>
public static class UnitEndpoints
{
    /// <summary>Maps the unit endpoints.</summary>
    public static RouteGroupBuilder MapUnitEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/", Register).WithName("RegisterUnits").WithExample(Examples.RegisterUnits).AllowsBulkBody();
        group.MapGet("/{id}", Get).WithName("GetUnit").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id}/budget", SetBudget).WithName("SetUnitBudget").WithExample(Examples.UnitBudget)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return group.WithTags("Units").ProducesValidationProblem();
    }

    /// <summary>Registers units under the default budget, in bulk; known units are left as they are.</summary>
    /// <param name="request">Up to 1,000,000 unit ids.</param>
    public static async Task<Ok<RegisterUnitsResponse>> Register(RegisterUnitsRequest request, UnitRegistry units, CancellationToken cancellationToken) =>
        TypedResults.Ok(await units.RegisterAsync(request, cancellationToken).ConfigureAwait(false));

    /// <summary>A unit's budget, spent curve, ε spent at its δ, what remains, its cohorts and tasks.</summary>
    /// <param name="id">The unit's id.</param>
    public static async Task<Ok<UnitResponse>> Get(string id, UnitRegistry units, CancellationToken cancellationToken) =>
        TypedResults.Ok(await units.GetAsync(id, cancellationToken).ConfigureAwait(false));

    /// <summary>Gives a registered unit its own lifetime budget (404 for an unknown one); recorded in the ledger.</summary>
    /// <param name="id">The unit's id.</param>
    /// <param name="request">ε and δ, or ρ; the grid may change only while the unit has spent nothing.</param>
    public static async Task<Ok<UnitResponse>> SetBudget(string id, UnitBudgetRequest request, UnitRegistry units, CancellationToken cancellationToken) =>
        TypedResults.Ok(await units.SetBudgetAsync(id, request, cancellationToken).ConfigureAwait(false));
}
