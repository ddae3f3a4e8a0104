using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Accounting.Accountant.Storage.Sqlite;

/// <summary>
/// The durable record of delta changes that the writer holds in memory (<see cref="WriterUnits"/>): one row of
/// <c>unit_delta_log</c> per write (or per 64 KB of it), committed with the charge, deleted once the units' rows are
/// written. A row keeps what was added, not the result: each distinct added curve once (the units with one
/// sensitivity factor share it), then each unit's id with the index of its curve (−1: delta cleared), so a
/// 1,000-unit change takes ~35 KB instead of the ~220 KB of its rows. Replaying the rows in order on the rows' deltas
/// gives what the writer held (<see cref="DeltaChange.After"/>).
/// </summary>
internal static class DeltaLog
{
    private const byte Version = 1;
    private const int MaxBlob = 64 * 1024; // under the large-object heap's 85,000 bytes

    /// <summary>The changes as log rows' blobs.</summary>
    public static IEnumerable<byte[]> Encode(IReadOnlyList<DeltaChange> changes)
    {
        // Each change's curve index and id length, found once for both the sizing and the writing.
        var curves = new List<double[]>();
        var indexes = new Dictionary<double[], int>(ReferenceEqualityComparer.Instance);
        var entries = new (int Curve, int IdBytes)[changes.Count];
        for (var i = 0; i < changes.Count; i++)
        {
            var curve = -1;
            if (changes[i].Added is { } added && !indexes.TryGetValue(added, out curve))
            {
                indexes[added] = curve = curves.Count;
                curves.Add(added);
            }
            entries[i] = (curve, Encoding.UTF8.GetByteCount(changes[i].UnitId));
        }
        var header = 1 + 4 + curves.Sum(c => 4 + c.Length * sizeof(double)) + 4;
        var (start, size) = (0, header);
        for (var i = 0; i < changes.Count; i++)
        {
            var entry = 4 + 2 + entries[i].IdBytes;
            if (i > start && size + entry > MaxBlob)
            {
                yield return Write(curves, entries, changes, start, i, size);
                (start, size) = (i, header);
            }
            size += entry;
        }
        if (changes.Count > start)
        {
            yield return Write(curves, entries, changes, start, changes.Count, size);
        }
    }

    /// <summary>A row's changes: each unit's id and the curve added to its delta (null: cleared).</summary>
    public static IEnumerable<(string UnitId, double[]? Added)> Decode(byte[] blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (blob.Length == 0 || blob[0] != Version)
        {
            throw new InvalidDataException($"a unit_delta_log row has version {(blob.Length == 0 ? "none" : blob[0])}, not {Version}");
        }
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

    // The changes from start to end (exclusive) as one blob of the given size.
    private static byte[] Write(List<double[]> curves, (int Curve, int IdBytes)[] entries, IReadOnlyList<DeltaChange> changes, int start, int end, int size)
    {
        var blob = new byte[size];
        var at = 0;
        blob[at++] = Version;
        PutInt(blob, ref at, curves.Count);
        foreach (var curve in curves)
        {
            PutInt(blob, ref at, curve.Length);
            MemoryMarshal.AsBytes(curve.AsSpan()).CopyTo(blob.AsSpan(at));
            at += curve.Length * sizeof(double);
        }
        PutInt(blob, ref at, end - start);
        for (var i = start; i < end; i++)
        {
            var (curve, idBytes) = entries[i];
            PutInt(blob, ref at, curve);
            BinaryPrimitives.WriteUInt16LittleEndian(blob.AsSpan(at), checked((ushort)idBytes));
            Encoding.UTF8.GetBytes(changes[i].UnitId, blob.AsSpan(at + 2));
            at += 2 + idBytes;
        }
        return blob;
    }

    private static int Int(byte[] blob, ref int at)
    {
        var value = BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(at));
        at += 4;
        return value;
    }

    private static void PutInt(byte[] blob, ref int at, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(blob.AsSpan(at), value);
        at += 4;
    }
}
