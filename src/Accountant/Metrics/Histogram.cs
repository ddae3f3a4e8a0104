namespace Accounting.Accountant.Metrics;

/// <summary>Durations in seconds counted into fixed buckets, with their sum, as a Prometheus histogram has them.</summary>
public sealed class Histogram
{
    /// <summary>Upper bounds of the buckets: 0.5 ms (a calculator call) to 10 s (a charge over a million units).</summary>
    public static IReadOnlyList<double> Bounds { get; } = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly long[] _counts = new long[Bounds.Count + 1]; // the last counts what lies above every bound
    private readonly Lock _lock = new();
    private double _sum;

    /// <summary>Counts one duration.</summary>
    public void Observe(TimeSpan duration)
    {
        var seconds = duration.TotalSeconds;
        var bucket = 0;
        while (bucket < Bounds.Count && seconds > Bounds[bucket])
        {
            bucket++;
        }
        lock (_lock)
        {
            _counts[bucket]++;
            _sum += seconds;
        }
    }

    /// <summary>A consistent copy: cumulative counts per bound (the last, +Inf, is the total) and the sum.</summary>
    public (long[] Cumulative, double Sum) Snapshot()
    {
        lock (_lock)
        {
            var cumulative = new long[_counts.Length];
            long running = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                cumulative[i] = running += _counts[i];
            }
            return (cumulative, _sum);
        }
    }
}
