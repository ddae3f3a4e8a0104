using System.Globalization;

namespace Accounting.LoadGen;

/// <summary>One row of the report: what was measured, how, and the figures.</summary>
internal sealed record Result(string Scenario, string Method, string Throughput, double MedianMs, double P99Ms, string Notes)
{
    public static Result Of(string scenario, string method, string throughput, Latencies latencies, string notes) =>
        new(scenario, method, throughput, latencies.Percentile(0.5), latencies.Percentile(0.99),
            latencies.Failures == 0 ? notes : $"{notes}; {latencies.Failures} failed");

    /// <summary>A Markdown table row; bench/run gathers the rows of every tool into one table.</summary>
    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"| {Scenario} | {Method} | {Throughput} | {Ms(MedianMs)} | {Ms(P99Ms)} | {Notes} |");

    private static string Ms(double ms) => double.IsNaN(ms) ? "–" : string.Create(CultureInfo.InvariantCulture, $"{ms:0.00} ms");
}
