using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Accounting.Accountant.Storage.Sqlite;

/// <summary>
/// The durable record of delta changes that the writer holds in memory (<see cref="WriterUnits"/>): one row of
/// <c>unit_delta_log</c> per write (or per 64 KB of it), committed with the charge, deleted once the units' rows are
/// written. A row keeps what was added, not the result, and names units and added curves by the numbers the writer
/// gave them (<see cref="DeltaLogNames"/>): a unit's id or a curve's values are spelled out in the first row that
/// names them after the numbers start afresh, so a repeated 1,000-unit change takes under 4 KB instead of ~55 KB. Replaying
/// the rows in order (<see cref="Reader"/>) on the rows' deltas gives what the writer held (<see cref="DeltaChange.After"/>).
/// </summary>
internal static class DeltaLog
{
    // Rows written before units and curves had numbers spell every one out; a log left by such a service is replayed.
    private const byte Spelled = 1, Numbered = 2;
    private const int MaxBlob = 64 * 1024; // under the large-object heap's 85,000 bytes

    /// <summary>
    /// The changes (each unit by the number <paramref name="names"/> gave it, in the order it gave them) as log rows'
    /// blobs, spelling out what no earlier row did.
    /// </summary>
    public static IEnumerable<byte[]> Encode(IReadOnlyList<(int Unit, double[]? Added)> changes, DeltaLogNames names)
    {
        var row = new Row(names);
        // The units with one factor share its added curve: its values are looked up by content once per array.
        var curves = new Dictionary<double[], int>(ReferenceEqualityComparer.Instance);
        foreach (var (unit, added) in changes)
        {
            if (unit > names.UnitsWritten)
            {
                throw new InvalidOperationException($"unit number {unit} comes before number {names.UnitsWritten} was written");
            }
            var spellUnit = unit == names.UnitsWritten;
            var curve = -1;
            if (added is not null && !curves.TryGetValue(added, out curve))
            {
                curves[added] = curve = names.Number(added);
            }
            var spellCurve = curve == names.CurvesWritten;
            var size = (spellUnit ? Spelling(names.Unit(unit)) : 0) + (spellCurve ? Spelling(added!) : 0)
                + Leb128.Length(unit) + Leb128.Length(curve + 1);
            if (row.Changes > 0 && row.Size + size > MaxBlob)
            {
                yield return row.ToBlob();
                row = new Row(names);
            }
            if (spellUnit)
            {
                row.Spell(names.Unit(unit));
                names.UnitsWritten++;
            }
            if (spellCurve)
            {
                row.Spell(added!);
                names.CurvesWritten++;
            }
            row.Add(unit, curve + 1); // 0: the delta cleared
        }
        if (row.Changes > 0)
        {
            yield return row.ToBlob();
        }
    }

    private static int Spelling(string id)
    {
        var bytes = Encoding.UTF8.GetByteCount(id);
        return Leb128.Length(bytes) + bytes;
    }

    private static int Spelling(double[] curve) => Leb128.Length(curve.Length) + curve.Length * sizeof(double);

    // One row as it is built: what it spells out, then its changes, each section counted.
    private sealed class Row(DeltaLogNames names)
    {
        private readonly int _unitsFrom = names.UnitsWritten, _curvesFrom = names.CurvesWritten;
        private readonly ArrayBufferWriter<byte> _units = new(), _curves = new(), _changes = new();
        private int _unitCount, _curveCount;

        public int Changes { get; private set; }

        // Its header's counts are at most 5 bytes each.
        public int Size => 1 + (5 * 5) + _units.WrittenCount + _curves.WrittenCount + _changes.WrittenCount;

        public void Spell(string id)
        {
            var bytes = Encoding.UTF8.GetByteCount(id);
            Leb128.Put(_units, bytes);
            _units.Advance(Encoding.UTF8.GetBytes(id, _units.GetSpan(bytes)));
            _unitCount++;
        }

        public void Spell(double[] curve)
        {
            Leb128.Put(_curves, curve.Length);
            var bytes = MemoryMarshal.AsBytes(curve.AsSpan());
            bytes.CopyTo(_curves.GetSpan(bytes.Length));
            _curves.Advance(bytes.Length);
            _curveCount++;
        }

        public void Add(int unit, int curve)
        {
            Leb128.Put(_changes, unit);
            Leb128.Put(_changes, curve);
            Changes++;
        }

        public byte[] ToBlob()
        {
            var blob = new byte[1 + Leb128.Length(_unitsFrom) + Leb128.Length(_curvesFrom)
                + Leb128.Length(_unitCount) + _units.WrittenCount + Leb128.Length(_curveCount) + _curves.WrittenCount
                + Leb128.Length(Changes) + _changes.WrittenCount];
            blob[0] = Numbered;
            var at = 1;
            at += Leb128.Put(blob.AsSpan(at), _unitsFrom);
            at += Leb128.Put(blob.AsSpan(at), _curvesFrom);
            foreach (var (count, section) in (ReadOnlySpan<(int, ArrayBufferWriter<byte>)>)[(_unitCount, _units), (_curveCount, _curves), (Changes, _changes)])
            {
                at += Leb128.Put(blob.AsSpan(at), count);
                section.WrittenSpan.CopyTo(blob.AsSpan(at));
                at += section.WrittenCount;
            }
            return blob;
        }
    }

    /// <summary>
    /// Reads log rows in the order they were written: a row may name units and curves that an earlier one spelled out.
    /// </summary>
    public sealed class Reader
    {
        private readonly List<string> _units = [];
        private readonly List<double[]> _curves = [];

        /// <summary>A row's changes: each unit's id and the curve added to its delta (null: cleared).</summary>
        public List<(string UnitId, double[]? Added)> Read(byte[] blob)
        {
            ArgumentNullException.ThrowIfNull(blob);
            return blob switch
            {
                [Spelled, ..] => ReadSpelled(blob),
                [Numbered, ..] => ReadNumbered(blob),
                _ => throw new InvalidDataException($"a unit_delta_log row has version {(blob.Length == 0 ? "none" : blob[0])}, not {Spelled} or {Numbered}"),
            };
        }

        private List<(string, double[]?)> ReadNumbered(byte[] blob)
        {
            var at = 1;
            var (unitsFrom, curvesFrom) = (Varint(blob, ref at), Varint(blob, ref at));
            if (unitsFrom > _units.Count || curvesFrom > _curves.Count)
            {
                throw new InvalidDataException("a unit_delta_log row goes on from numbers that no earlier row gave");
            }
            _units.RemoveRange(unitsFrom, _units.Count - unitsFrom);
            _curves.RemoveRange(curvesFrom, _curves.Count - curvesFrom);
            for (var i = Varint(blob, ref at); i > 0; i--)
            {
                var count = Varint(blob, ref at);
                var length = Length(blob, at, count, 1);
                _units.Add(Encoding.UTF8.GetString(blob, at, length));
                at += length;
            }
            for (var i = Varint(blob, ref at); i > 0; i--)
            {
                var count = Varint(blob, ref at);
                var length = Length(blob, at, count, sizeof(double));
                _curves.Add(MemoryMarshal.Cast<byte, double>(blob.AsSpan(at, length)).ToArray());
                at += length;
            }
            var changes = new List<(string, double[]?)>();
            for (var i = Varint(blob, ref at); i > 0; i--)
            {
                var (unit, curve) = (Varint(blob, ref at), Varint(blob, ref at));
                if (unit >= _units.Count || curve > _curves.Count)
                {
                    throw new InvalidDataException($"a unit_delta_log row names unit {unit} or curve {curve - 1}, which no row gave");
                }
                changes.Add((_units[unit], curve == 0 ? null : _curves[curve - 1]));
            }
            return at == blob.Length ? changes : throw new InvalidDataException("a unit_delta_log row has bytes past its changes");
        }

        // The first format: each distinct added curve, then each unit's id with the index of its curve (−1: cleared).
        private static List<(string, double[]?)> ReadSpelled(byte[] blob)
        {
            var at = 1;
            var curves = new double[Int(blob, ref at)][];
            for (var i = 0; i < curves.Length; i++)
            {
                var length = Int(blob, ref at);
                curves[i] = MemoryMarshal.Cast<byte, double>(blob.AsSpan(at, length * sizeof(double))).ToArray();
                at += length * sizeof(double);
            }
            var count = Int(blob, ref at);
            var changes = new List<(string, double[]?)>(count);
            for (var i = 0; i < count; i++)
            {
                var index = Int(blob, ref at);
                var idLength = BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(at));
                at += 2;
                changes.Add((Encoding.UTF8.GetString(blob, at, idLength), index < 0 ? null : curves[index]));
                at += idLength;
            }
            return changes;
        }

        // A length of count items of the given size, checked against what the blob has left from at.
        private static int Length(byte[] blob, int at, int count, int size) =>
            (long)count * size <= blob.Length - at ? count * size : throw new InvalidDataException("a unit_delta_log row ends early");

        private static int Varint(byte[] blob, ref int at) => Leb128.Read(blob, ref at, "a unit_delta_log row");

        private static int Int(byte[] blob, ref int at)
        {
            var value = BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(at));
            at += 4;
            return value;
        }
    }
}
