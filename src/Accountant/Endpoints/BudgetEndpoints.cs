using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Accounting.Accountant.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Accounting.Accountant.Endpoints;

/// <summary>The default lifetime-budget policy.</summary>
public static class BudgetEndpoints
{
    /// <summary>Maps the policy endpoints.</summary>
    public static RouteGroupBuilder MapBudgetEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/default", GetDefault).WithName("GetDefaultBudget");
        group.MapPut("/default", SetDefault).WithName("SetDefaultBudget").WithExample(Examples.DefaultBudget);
        return group.WithTags("Budgets").ProducesValidationProblem();
    }

    /// <summary>The lifetime budget of every unit without an override.</summary>
    public static async Task<Ok<BudgetDto>> GetDefault(IAccountingStore store, BudgetBook budgets, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ReadAsync(s => BudgetBook.ToDto(budgets.Get(s, budgets.DefaultId(s))), cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Changes the default policy (recorded in the ledger). Its grid, kind, relation and unit kind may change only
    /// while nothing has been spent under it.
    /// </summary>
    /// <param name="policy">The new policy.</param>
    public static async Task<Ok<BudgetDto>> SetDefault(
        BudgetDto policy, IAccountingStore store, BudgetBook budgets, Ledger ledger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var result = await store.WriteAsync(session =>
        {
            var row = budgets.SetDefault(session, policy);
            var dto = new BudgetDto(row.Epsilon, row.Delta, row.Rho, row.Grid, row.Relation, row.UnitKind);
            ledger.Append(session, LedgerKinds.DefaultBudgetSet, null, dto);
            return dto;
        }, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(result);
    }
}
