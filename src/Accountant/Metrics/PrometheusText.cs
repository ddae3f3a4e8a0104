using System.Globalization;
using System.Text;

namespace Accounting.Accountant.Metrics;

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4 (prometheus.io/docs/instrumenting/exposition_formats): per
/// metric a HELP and a TYPE line, then one sample per line, <c>name{label="value",…} number</c>.
/// </summary>
public sealed class PrometheusText
{
    /// <summary>The content type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();

    /// <summary>A counter with one series per label set.</summary>
    public void Counter(string name, string help, IEnumerable<(string Labels, long Value)> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        Header(name, help, "counter");
        foreach (var (labels, value) in series)
        {
            Sample(name, labels, value.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A histogram with one series per label set: cumulative buckets, sum and count.</summary>
    public void Histogram(string name, string help, IEnumerable<(string Labels, Histogram Histogram)> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        Header(name, help, "histogram");
        foreach (var (labels, histogram) in series)
        {
            var (cumulative, sum) = histogram.Snapshot();
            for (var i = 0; i < cumulative.Length; i++)
            {
                var bound = i < Metrics.Histogram.Bounds.Count ? Metrics.Histogram.Bounds[i].ToString("R", CultureInfo.InvariantCulture) : "+Inf";
                Sample($"{name}_bucket", Join(labels, Label("le", bound)), cumulative[i].ToString(CultureInfo.InvariantCulture));
            }
            Sample($"{name}_sum", labels, sum.ToString("R", CultureInfo.InvariantCulture));
            Sample($"{name}_count", labels, cumulative[^1].ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>One label, its value escaped as the format asks (backslash, double quote, line feed).</summary>
    public static string Label(string name, string value) =>
        $"{name}=\"{value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal)}\"";

    /// <summary>Labels joined into one set.</summary>
    public static string Join(params string[] labels) => string.Join(',', labels.Where(l => l.Length > 0));

    /// <inheritdoc />
    public override string ToString() => _text.ToString();

    private void Header(string name, string help, string type) =>
        _text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");

    private void Sample(string name, string labels, string value) =>
        _text.Append(CultureInfo.InvariantCulture, $"{name}{(labels.Length == 0 ? "" : $"{{{labels}}}")} {value}\n");
}
