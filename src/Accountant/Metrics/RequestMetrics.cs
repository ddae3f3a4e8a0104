using System.Diagnostics;

namespace Accounting.Accountant.Metrics;

/// <summary>Times every request for <see cref="AccountingMetrics"/>.</summary>
public static class RequestMetrics
{
    // Label values come from this set, never from the client: a method of the client's own choosing (on an unmatched
    // path) would otherwise add a series per request.
    private static readonly HashSet<string> Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    /// <summary>
    /// Times each request through the rest of the pipeline. Put first: it then sees the final status, and reads the
    /// route before the exception handler clears it.
    /// </summary>
    public static IApplicationBuilder UseRequestMetrics(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var metrics = app.ApplicationServices.GetRequiredService<AccountingMetrics>();
        return app.Use(async (context, next) =>
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            var method = Methods.Contains(context.Request.Method) ? context.Request.Method : "other";
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                metrics.RequestTook(method, route, context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
            }
        });
    }
}
