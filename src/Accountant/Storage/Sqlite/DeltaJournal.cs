namespace Accounting.Accountant.Storage.Sqlite;

/// <summary>
/// Units' deltas that the writer has changed but not yet written to their rows. A charge with per-unit sensitivities
/// changes every named unit's delta; writing each row was most of its cost (a seek by text key and a page rewritten
/// per ~16 units), so the writer keeps the new deltas here, logs the change compactly in the same transaction
/// (<see cref="DeltaLog"/>), and writes the rows now and then in one pass (<see cref="SqliteSession.FlushDeltas"/>), each unit once
/// however often it was charged. Layered like the writer's transaction: what the running write changed, what the
/// open transaction's finished writes changed, and what is committed; a write or transaction that rolls back drops
/// its layer. Only the writer's thread uses it.
/// </summary>
internal sealed class DeltaJournal
{
    private readonly Layer _committed = new(), _transaction = new(), _write = new();
    private bool _inWrite;

    /// <summary>Committed changes not yet in the units' rows.</summary>
    public int Unflushed => _committed.Deltas.Count;

    /// <summary>When the oldest committed change not yet in the rows was committed (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
    public long OldestUnflushed { get; private set; }

    /// <summary>Whether a flush would write anything: changes committed or staged and not yet in the rows.</summary>
    public bool IsEmpty => _committed.Deltas.Count == 0 && _transaction.Deltas.Count == 0 && (!_inWrite || _write.Deltas.Count == 0);

    /// <summary>The unit's delta as the open write sees it, when changed since its row was written.</summary>
    public bool TryGet(string unitId, out double[]? delta)
    {
        delta = null;
        return (_inWrite ? Find(_write, unitId, ref delta) : null) ?? Find(_transaction, unitId, ref delta) ?? Find(_committed, unitId, ref delta) ?? false;
    }

    /// <summary>Notes a change made by the open write (or by the transaction itself, outside any write).</summary>
    public void Set(string unitId, double[]? delta) => Top.Deltas[unitId] = delta;

    /// <summary>Every change the open write sees, newest first per unit: what a flush writes to the rows.</summary>
    public IReadOnlyCollection<(string UnitId, double[]? Delta)> Pending()
    {
        var seen = new Dictionary<string, double[]?>(StringComparer.Ordinal);
        foreach (var layer in Layers())
        {
            foreach (var (id, delta) in layer.Deltas)
            {
                seen.TryAdd(id, delta);
            }
            if (layer.Flushed)
            {
                break;
            }
        }
        return [.. seen.Select(p => (p.Key, p.Value))];
    }

    /// <summary>After the rows were written with <see cref="Pending"/> in the open transaction: nothing below is pending.</summary>
    public void Flushed()
    {
        var top = Top;
        top.Deltas.Clear();
        top.Flushed = true;
    }

    /// <summary>A write starts (inside its savepoint, or alone in the transaction).</summary>
    public void BeginWrite()
    {
        _write.Clear();
        _inWrite = true;
    }

    /// <summary>The write ended: its changes join the transaction's, or are dropped with its savepoint.</summary>
    public void EndWrite(bool succeeded)
    {
        if (succeeded)
        {
            _transaction.Take(_write);
        }
        _write.Clear();
        _inWrite = false;
    }

    /// <summary>The transaction ended: its changes are committed, or dropped with it.</summary>
    public void EndTransaction(bool committed)
    {
        if (committed)
        {
            if (_committed.Deltas.Count == 0 || _transaction.Flushed)
            {
                OldestUnflushed = System.Diagnostics.Stopwatch.GetTimestamp();
            }
            _committed.Take(_transaction);
            _committed.Flushed = false; // the bottom layer: the rows are below it anyway
        }
        _transaction.Clear();
        _write.Clear();
        _inWrite = false;
    }

    private Layer Top => _inWrite ? _write : _transaction;

    private IEnumerable<Layer> Layers()
    {
        if (_inWrite)
        {
            yield return _write;
        }
        yield return _transaction;
        yield return _committed;
    }

    // True when the layer has the unit, false when the rows hold it (the layer was flushed), null to look below.
    private static bool? Find(Layer layer, string unitId, ref double[]? delta) =>
        layer.Deltas.TryGetValue(unitId, out delta) ? true : layer.Flushed ? false : null;

    private sealed class Layer
    {
        public Dictionary<string, double[]?> Deltas { get; private set; } = new(StringComparer.Ordinal);

        // Set when the rows were written with everything below this layer (and this layer's own earlier changes).
        public bool Flushed { get; set; }

        public void Take(Layer newer)
        {
            if (newer.Flushed)
            {
                Deltas.Clear();
                Flushed = true;
            }
            if (Deltas.Count == 0)
            {
                (Deltas, newer.Deltas) = (newer.Deltas, Deltas); // the newer one's entries as they are, without copying
                return;
            }
            foreach (var (id, delta) in newer.Deltas)
            {
                Deltas[id] = delta;
            }
        }

        public void Clear()
        {
            Deltas.Clear();
            Flushed = false;
        }
    }
}
