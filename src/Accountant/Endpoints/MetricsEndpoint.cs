using Accounting.Accountant.Metrics;

namespace Accounting.Accountant.Endpoints;

/// <summary>The service's counters and latencies for Prometheus.</summary>
public static class MetricsEndpoint
{
    /// <summary>Everything counted since start, in the Prometheus text format 0.0.4.</summary>
    public static IResult Scrape(AccountingMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return Results.Text(metrics.Exposition(), PrometheusText.ContentType);
    }
}
