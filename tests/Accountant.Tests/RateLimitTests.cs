using System.Net;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.TestSupport;

namespace Accounting.Accountant.Tests;

/// <summary>Each key has its own token bucket, and requests without a valid key share their address's.</summary>
public class RateLimitTests
{
    // Three requests, then one more each hour: the test ends long before a token comes back.
    private static readonly Dictionary<string, string> Small = new()
    {
        ["Accountant__RateLimit__TokenLimit"] = "3",
        ["Accountant__RateLimit__TokensPerPeriod"] = "1",
        ["Accountant__RateLimit__ReplenishmentPeriod"] = "01:00:00",
    };

    [Fact]
    public async Task A_key_over_its_limit_gets_429_with_Retry_After_and_other_callers_are_unaffected()
    {
        await using var service = await ServiceProcess.StartAsync(Small);
        string first, second;
        using (var admin = service.As(service.AdminKey))
        {
            first = (await admin.CreateKeyAsync("first", KeyRole.Trainer)).Key;
            second = (await admin.CreateKeyAsync("second", KeyRole.Trainer)).Key;
        }
        using var one = service.As(first);
        using var two = service.As(second);
        using var anonymous = service.As(null);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await one.RawAsync(HttpMethod.Get, "v1/cohorts/none", null)).Status);
        }
        var (status, problem, response) = await one.RawAsync(HttpMethod.Get, "v1/cohorts/none", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("urn:accounting:problem:rate-limited", problem.GetProperty("type").GetString());
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));

        // Requests without a key spend their address's bucket (as key guessing would), not the keys'.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.RawAsync(HttpMethod.Get, "v1/cohorts/none", null)).Status);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await anonymous.RawAsync(HttpMethod.Get, "v1/cohorts/none", null)).Status);

        // The other key still has its three.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await two.RawAsync(HttpMethod.Get, "v1/cohorts/none", null)).Status);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await two.RawAsync(HttpMethod.Get, "v1/cohorts/none", null)).Status);

        // Liveness probes are never limited.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.RawAsync(HttpMethod.Get, "healthz", null)).Status);
    }
}
