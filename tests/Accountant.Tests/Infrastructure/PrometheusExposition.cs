using System.Globalization;
using System.Text.RegularExpressions;

namespace Accounting.Accountant.Tests.Infrastructure;

/// <summary>
/// A strict reader of the Prometheus text format 0.0.4: every line a HELP or TYPE comment or a sample, samples only
/// of declared metrics, histograms with cumulative buckets ending at +Inf equal to their count.
/// </summary>
public sealed partial class PrometheusExposition
{
    private readonly Dictionary<string, double> _samples = [];

    private PrometheusExposition()
    {
    }

    /// <summary>Parses an exposition, failing the test on any malformed line.</summary>
    public static PrometheusExposition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var exposition = new PrometheusExposition();
        var types = new Dictionary<string, string>();
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            if (TypeLine().Match(line) is { Success: true } type)
            {
                Assert.True(types.TryAdd(type.Groups["name"].Value, type.Groups["type"].Value), $"TYPE given twice: {line}");
                continue;
            }
            if (HelpLine().IsMatch(line))
            {
                continue;
            }
            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"not a sample line: '{line}'");
            var name = sample.Groups["name"].Value;
            var family = types.Keys.SingleOrDefault(t => name == t || (types[t] == "histogram" && name.StartsWith(t, StringComparison.Ordinal)
                && name[t.Length..] is "_bucket" or "_sum" or "_count"));
            Assert.True(family is not null, $"sample of an undeclared metric: '{line}'");
            var value = sample.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            Assert.True(exposition._samples.TryAdd($"{name}{{{sample.Groups["labels"].Value}}}", value), $"sample given twice: {line}");
        }
        exposition.CheckHistograms(types.Where(t => t.Value == "histogram").Select(t => t.Key));
        return exposition;
    }

    /// <summary>The value of a sample, by name and exact label text (e.g. <c>reason="quota"</c>); 0 when absent.</summary>
    public double Value(string name, string labels = "") => _samples.GetValueOrDefault($"{name}{{{labels}}}");

    // Per series: buckets ascend in le and in count, and the +Inf bucket equals _count.
    private void CheckHistograms(IEnumerable<string> histograms)
    {
        foreach (var histogram in histograms)
        {
            var buckets = _samples.Where(s => s.Key.StartsWith($"{histogram}_bucket{{", StringComparison.Ordinal))
                .Select(s => (Series: LeLabel().Replace(s.Key[(histogram.Length + 8)..^1], ""), Le: LeLabel().Match(s.Key).Groups["le"].Value, Count: s.Value))
                .GroupBy(b => b.Series);
            foreach (var series in buckets)
            {
                var ordered = series.OrderBy(b => b.Le == "+Inf" ? double.PositiveInfinity : double.Parse(b.Le, CultureInfo.InvariantCulture)).ToList();
                Assert.Equal("+Inf", ordered[^1].Le);
                Assert.True(ordered.Zip(ordered.Skip(1)).All(p => p.First.Count <= p.Second.Count), $"{histogram}{{{series.Key}}} buckets are not cumulative");
                Assert.Equal(ordered[^1].Count, Value($"{histogram}_count", series.Key));
            }
        }
    }

    [GeneratedRegex(@"^# TYPE (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?<type>counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* \S.*$")]
    private static partial Regex HelpLine();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[a-zA-Z_][a-zA-Z0-9_]*=""(\\[\\""n]|[^\\""\n])*""(,[a-zA-Z_][a-zA-Z0-9_]*=""(\\[\\""n]|[^\\""\n])*"")*)\})? (?<value>[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?|\+Inf|-Inf|NaN)$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@",?le=""(?<le>[^""]*)""")]
    private static partial Regex LeLabel();
}
