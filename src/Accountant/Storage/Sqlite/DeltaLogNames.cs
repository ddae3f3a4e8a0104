using System.Runtime.InteropServices;

namespace Accounting.Accountant.Storage.Sqlite;

/// <summary>
/// The numbers by which the writer's <see cref="DeltaLog"/> rows name units and added curves once a row has spelled
/// them out. A per-unit charge names the same units and, step after step, the same curves (one per sensitivity factor):
/// spelled out in every row they made most of the ~55 KB a 1,000-unit charge logged, written to the WAL on every
/// commit. Numbers only grow between <see cref="Clear"/>s, which the writer calls whenever rows it named things in
/// may be gone or out of reach: the log emptied by a flush, a write or transaction rolled back, another connection's
/// commit. Each row says from which numbers it goes on, so its reader can tell.
/// </summary>
internal sealed class DeltaLogNames
{
    private readonly List<string> _units = [];
    private readonly List<double[]> _curves = [];
    private readonly Dictionary<double[], int> _curveNumbers = new(SameBits.Instance);

    /// <summary>Changes at each <see cref="Clear"/>; a number given under an earlier one names nothing now.</summary>
    public long Generation { get; private set; } = 1;

    /// <summary>Units numbered so far; the next unit gets this number.</summary>
    public int Units => _units.Count;

    /// <summary>How many units' names log rows have spelled out: the rest were numbered since.</summary>
    public int UnitsWritten { get; set; }

    /// <summary>How many curves log rows have spelled out.</summary>
    public int CurvesWritten { get; set; }

    /// <summary>The unit's id by its number.</summary>
    public string Unit(int number) => _units[number];

    /// <summary>The curve by its number.</summary>
    public double[] Curve(int number) => _curves[number];

    /// <summary>Numbers a unit (one the writer has not numbered under this generation).</summary>
    public int Number(string unitId)
    {
        _units.Add(unitId);
        return _units.Count - 1;
    }

    /// <summary>The curve's number: that of the same values numbered before, or the next.</summary>
    public int Number(double[] curve)
    {
        if (!_curveNumbers.TryGetValue(curve, out var number))
        {
            double[] kept = [.. curve]; // its own copy: the caller's array is not the writer's to keep
            _curveNumbers[kept] = number = _curves.Count;
            _curves.Add(kept);
        }
        return number;
    }

    /// <summary>Forgets every number: the next row spells out what it names again.</summary>
    public void Clear()
    {
        Generation++;
        _units.Clear();
        _curves.Clear();
        _curveNumbers.Clear();
        (UnitsWritten, CurvesWritten) = (0, 0);
    }

    // Curves are equal when their values are, bit for bit.
    private sealed class SameBits : IEqualityComparer<double[]>
    {
        public static SameBits Instance { get; } = new();

        public bool Equals(double[]? x, double[]? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && MemoryMarshal.AsBytes(x.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(y.AsSpan())));

        public int GetHashCode(double[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(MemoryMarshal.AsBytes(obj.AsSpan()));
            return hash.ToHashCode();
        }
    }
}
