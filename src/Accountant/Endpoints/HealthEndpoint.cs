using Accounting.Accountant.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Accounting.Accountant.Endpoints;

/// <summary>Liveness with the database: healthy only if a read transaction succeeds.</summary>
public static class HealthEndpoint
{
    /// <summary>200 "healthy" when the store answers, 503 otherwise.</summary>
    public static async Task<Results<Ok<string>, ProblemHttpResult>> Check(IAccountingStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        try
        {
            await store.ReadAsync(s => s.GetSetting("defaultBudgetId:example"), cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok("healthy");
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "database unreachable");
        }
    }
}
