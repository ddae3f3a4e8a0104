using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Accounting.Accountant.Domain;
using Accounting.Accountant.Endpoints;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Accounting.Accountant.Auth;

/// <summary>
/// Limits each caller's request rate (OWASP API Security Top 10 2023, API4 Unrestricted Resource Consumption): a
/// token bucket per key id, or per remote address for requests without a valid key; 429 with Retry-After beyond it.
/// </summary>
public static class RateLimiting
{
    /// <summary>Registers the limiter; it runs after authentication, which names the caller.</summary>
    public static IServiceCollection AddCallerRateLimiter(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetTokenBucketLimiter(Partition(context), _ => Bucket(Settings(context))));
            limiter.OnRejected = (rejected, _) =>
            {
                var context = rejected.HttpContext;
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? retryAfter
                    : Settings(context).ReplenishmentPeriod;
                var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return ProblemMapping.WriteAsync(context, ProblemException.ForField(
                    ProblemKind.RateLimited, "Authorization", $"this caller's request rate is over its limit; retry after {seconds} s"));
            };
        });

    private static RateLimitOptions Settings(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<AccountantOptions>>().Value.RateLimit;

    private static TokenBucketRateLimiterOptions Bucket(RateLimitOptions settings) => new()
    {
        TokenLimit = settings.TokenLimit,
        TokensPerPeriod = settings.TokensPerPeriod,
        ReplenishmentPeriod = settings.ReplenishmentPeriod,
        QueueLimit = 0, // refuse at once: a queued request would hold its connection
        AutoReplenishment = true,
    };

    // Keys are partitioned by id, never by the presented text, so that guessing keys spends the address's bucket.
    private static string Partition(HttpContext context) =>
        context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } key
            ? $"key:{key}"
            : $"address:{context.Connection.RemoteIpAddress}";
}
