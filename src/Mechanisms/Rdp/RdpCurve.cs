namespace Accounting.Mechanisms.Rdp;

/// <summary>
/// ε(α) for every α of a grid. Composition adds curves (Mironov 2017, Prop. 1), rounded up. Immutable.
/// </summary>
public sealed class RdpCurve
{
    private readonly double[] _epsilons;

    /// <summary>A curve on <paramref name="grid"/>; the values must be ≥ 0 (+∞ allowed), one per order.</summary>
    public RdpCurve(OrderGrid grid, double[] epsilons)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(epsilons);
        if (epsilons.Length != grid.Count)
        {
            throw new ArgumentException($"a curve on {grid.Key} needs {grid.Count} values", nameof(epsilons));
        }
        foreach (var e in epsilons)
        {
            if (!(e >= 0))
            {
                throw new ArgumentException("RDP values must be ≥ 0 and not NaN", nameof(epsilons));
            }
        }
        Grid = grid;
        _epsilons = epsilons;
    }

    /// <summary>The grid the curve is on.</summary>
    public OrderGrid Grid { get; }

    /// <summary>ε at each order of <see cref="Grid"/>.</summary>
    public ReadOnlySpan<double> Epsilons => _epsilons;

    /// <summary>The all-zero curve: nothing spent.</summary>
    public static RdpCurve Zero(OrderGrid grid) => new(grid, new double[grid.Count]);

    /// <summary>This curve composed with <paramref name="other"/> (same grid), rounded up.</summary>
    public RdpCurve Plus(RdpCurve other)
    {
        ArgumentNullException.ThrowIfNull(other);
        EnsureSameGrid(other);
        return new RdpCurve(Grid, Upward.Add(_epsilons, other._epsilons));
    }

    /// <summary>This curve composed <paramref name="count"/> times with itself, rounded up.</summary>
    public RdpCurve Times(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var scaled = new double[_epsilons.Length];
        for (var i = 0; i < scaled.Length; i++)
        {
            scaled[i] = Upward.Multiply(_epsilons[i], count);
        }
        return new RdpCurve(Grid, scaled);
    }

    private void EnsureSameGrid(RdpCurve other)
    {
        if (!ReferenceEquals(Grid, other.Grid) && Grid.Key != other.Grid.Key)
        {
            throw new ArgumentException($"curves on {Grid.Key} and {other.Grid.Key} cannot be composed", nameof(other));
        }
    }
}
