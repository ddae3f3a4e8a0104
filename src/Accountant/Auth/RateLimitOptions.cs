using System.ComponentModel.DataAnnotations;

namespace Accounting.Accountant.Auth;

/// <summary>
/// A token bucket per API key (per remote address for requests without a valid key), configuration section
/// <c>Accountant:RateLimit</c>. The defaults are generous (5,000 requests/s sustained, bursts of 10,000): they stop
/// runaway clients and key guessing, not training jobs.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Most requests in a burst: the bucket's size.</summary>
    [Range(1, int.MaxValue)]
    public int TokenLimit { get; set; } = 10_000;

    /// <summary>Requests added back to the bucket each period.</summary>
    [Range(1, int.MaxValue)]
    public int TokensPerPeriod { get; set; } = 5_000;

    /// <summary>The refill period.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);
}
