using System.Data.Common;
using Accounting.Accountant.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Accounting.Accountant.Endpoints;

/// <summary>Liveness with the database: healthy only if a read transaction succeeds.</summary>
public static partial class HealthEndpoint
{
    /// <summary>200 "healthy" when the store answers, 503 otherwise.</summary>
    public static async Task<Results<Ok<string>, ProblemHttpResult>> Check(
        IAccountingStore store, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(loggers);
        try
        {
            await store.ReadAsync(s => s.GetSetting("defaultBudgetId:example"), cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok("healthy");
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            // Either backend's failure (SQLite's and Npgsql's errors are DbExceptions); the details go to the log, not to
            // the anonymous caller.
            LogUnhealthy(loggers.CreateLogger(typeof(HealthEndpoint).FullName!), e);
            return TypedResults.Problem("the database did not answer a read", statusCode: StatusCodes.Status503ServiceUnavailable, title: "database unreachable");
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Health check failed: the database did not answer a read")]
    private static partial void LogUnhealthy(ILogger logger, Exception exception);
}
