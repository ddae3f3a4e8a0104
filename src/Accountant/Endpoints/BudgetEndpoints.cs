using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Accounting.Accountant.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Accounting.Accountant.Endpoints;

/// <summary>The default lifetime-budget policies, one per unit kind.</summary>
public static class BudgetEndpoints
{
    /// <summary>Maps the policy endpoints.</summary>
    public static RouteGroupBuilder MapBudgetEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/default/{unitKind}", GetDefault).WithName("GetDefaultBudget");
        group.MapPut("/default/{unitKind}", SetDefault).WithName("SetDefaultBudget").WithExample(Examples.DefaultBudget)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group.WithTags("Budgets").ProducesValidationProblem();
    }

    /// <summary>The lifetime budget of every unit of a kind without an override.</summary>
    /// <param name="unitKind">example, user, client or task.</param>
    public static async Task<Ok<BudgetDto>> GetDefault(string unitKind, IAccountingStore store, BudgetBook budgets, CancellationToken cancellationToken)
    {
        var kind = Kind(unitKind);
        return TypedResults.Ok(await store.ReadAsync(s => BudgetBook.ToDto(budgets.Default(s, kind)), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Changes a unit kind's default policy (recorded in the ledger). Its grid, kind and relation may change only
    /// while nothing has been spent under it.
    /// </summary>
    /// <param name="unitKind">example, user, client or task.</param>
    /// <param name="policy">The new policy.</param>
    public static async Task<Ok<BudgetDto>> SetDefault(
        string unitKind, BudgetDto policy, IAccountingStore store, BudgetBook budgets, Ledger ledger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var kind = Kind(unitKind);
        var result = await store.WriteAsync(session =>
        {
            var row = budgets.SetDefault(session, kind, policy);
            var dto = new BudgetDto(row.Epsilon, row.Delta, row.Rho, row.Grid, row.Relation, row.UnitKind);
            ledger.Append(session, LedgerKinds.DefaultBudgetSet, null, BudgetBook.PolicyEntry(row.Id, dto));
            return dto;
        }, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(result);
    }

    // Route values use the JSON names (example, user, client, task), which the framework's enum binding would not.
    private static UnitKind Kind(string name) =>
        Enum.GetValues<UnitKind>().FirstOrDefault(k => Names.Of(k) == name) is var kind && Names.Of(kind) == name
            ? kind
            : throw ProblemException.Invalid("unitKind", "must be example, user, client or task");
}
