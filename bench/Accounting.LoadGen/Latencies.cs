namespace Accounting.LoadGen;

/// <summary>Request latencies of one run, safe to record from many tasks at once.</summary>
internal sealed class Latencies
{
    private readonly List<double> _milliseconds = [];
    private readonly Lock _lock = new();

    public int Failures { get; private set; }

    public void Record(TimeSpan elapsed)
    {
        lock (_lock)
        {
            _milliseconds.Add(elapsed.TotalMilliseconds);
        }
    }

    public void Fail()
    {
        lock (_lock)
        {
            Failures++;
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _milliseconds.Count;
            }
        }
    }

    /// <summary>The latency below which a fraction <paramref name="p"/> of requests finished (nearest rank).</summary>
    public double Percentile(double p)
    {
        lock (_lock)
        {
            if (_milliseconds.Count == 0)
            {
                return double.NaN;
            }
            var sorted = _milliseconds.Order().ToArray();
            var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
        }
    }
}
