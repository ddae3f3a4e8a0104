using System.Diagnostics;
using System.Runtime.InteropServices;
using Accounting.Accountant.Domain;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Accountant.Storage.Sqlite;

/// <summary>
/// The units as the writer sees them: rows it read and may use again without reading them (as <see cref="WriterMemo"/>
/// keeps other rows), and deltas it changed but has not yet written to the rows. A charge with per-unit sensitivities
/// changes every named unit's delta; writing each row was most of its cost (a seek by text key and a page rewritten per
/// ~16 units), so the writer keeps the new deltas here, logs the change compactly in the same transaction
/// (<see cref="DeltaLog"/>), and writes the rows now and then in one pass (<see cref="SqliteSession.FlushDeltas"/>),
/// each unit once however often it was charged. One entry per unit holds both its row and its delta, so a charge looks
/// each unit up once to read it and once to change it. Changes are made in place and noted in an undo log: a write or
/// transaction that rolls back undoes its own, and every remembered row is forgotten then (a row read inside it may
/// show its changes). Only the writer's thread uses it.
/// </summary>
internal sealed class WriterUnits
{
    // About 410 bytes each (row 40, 24-order delta 216, 30-character id 82, entry 48 and its dictionary slot 24): 27 MB
    // when full. Past this, at the end of a transaction, rows are forgotten and read again; deltas not yet in the rows
    // are always kept.
    private const int MaxEntries = 65_536;

    // Past this many saved values (8 MB), the undo log's store is let go when a transaction ends: a charge of a million
    // units would otherwise keep about 190 MB.
    private const int MaxKeptSaved = 1 << 20;

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly List<Undo> _undo = [];
    // The values deltas had before they were changed in place, end to end, for the undo log.
    private double[] _saved = [];
    private int _savedCount;
    // The entries whose delta is not yet in their row, each once.
    private List<Entry> _changed = [];
    private int _writeStart = -1, _writeSavedStart;
    private bool _committedChanges, _flushedInTransaction;

    /// <summary>Deltas not yet in the units' rows (at the start of a transaction: the committed ones).</summary>
    public int Unflushed => _changed.Count;

    /// <summary>When the oldest committed change not yet in the rows was committed (<see cref="Stopwatch"/> ticks).</summary>
    public long OldestUnflushed { get; private set; }

    /// <summary>The unit as the writer sees it, if its row is remembered.</summary>
    public UnitRow? Row(string id) => _entries.TryGetValue(id, out var entry) ? entry.Row : null;

    /// <summary>Remembers the unit as its row was read, and returns it as the writer sees it: with the delta changed here since.</summary>
    public UnitRow Remember(UnitRow read)
    {
        var entry = EntryOf(read.Id);
        return entry.Row = entry.Changed ? read with { Delta = entry.Delta } : read;
    }

    /// <summary>The numbers by which the log names units and curves.</summary>
    public DeltaLogNames Names { get; } = new();

    /// <summary>
    /// Applies the change to the unit's delta (the open write's change, or the transaction's outside any write), and
    /// returns the unit's number in <see cref="Names"/>, numbering it if it has none. A delta the writer holds for the
    /// unit is changed in place: a new array per unit and charge made most of what the writer allocated, and each lived
    /// just long enough to be promoted before it died (docs/performance.md).
    /// </summary>
    public int Change(DeltaChange change)
    {
        var entry = EntryOf(change.UnitId);
        var held = entry.Changed ? entry.Delta : entry.Row?.Delta;
        double[]? delta;
        var savedAt = -1;
        if (change.Added is null)
        {
            delta = null;
        }
        else if (change.Current is { } current && ReferenceEquals(current, held))
        {
            savedAt = Save(current);
            Upward.Add(current, change.Added, current);
            delta = current;
        }
        else
        {
            // A new array: the added curve is shared by the units that saved the same, and a current delta the writer
            // does not hold as this unit's (a row read past it) may be referred to elsewhere.
            delta = change.Current is null ? [.. change.Added] : Curves.Plus(change.Current, change.Added);
        }
        _undo.Add(new Undo(entry, entry.Changed, entry.Delta, savedAt < 0 ? null : delta, savedAt, null));
        if (!entry.Changed)
        {
            entry.Changed = true;
            _changed.Add(entry);
        }
        entry.Delta = delta;
        if (entry.Row is { } row && !ReferenceEquals(row.Delta, delta))
        {
            entry.Row = row with { Delta = delta };
        }
        if (entry.NameGeneration != Names.Generation)
        {
            (entry.Name, entry.NameGeneration) = (Names.Number(entry.Id), Names.Generation);
        }
        return entry.Name;
    }

    /// <summary>Forgets these units' rows (moved to another group); their deltas stay.</summary>
    public void ForgetRows(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            if (_entries.TryGetValue(id, out var entry))
            {
                entry.Row = null;
            }
        }
    }

    /// <summary>Forgets every row (the file may no longer hold them); the deltas stay.</summary>
    public void ForgetRows()
    {
        foreach (var entry in _entries.Values)
        {
            entry.Row = null;
        }
    }

    /// <summary>Every delta not yet in the rows: what a flush writes.</summary>
    public IReadOnlyCollection<(string UnitId, double[]? Delta)> Pending() => [.. _changed.Select(e => (e.Id, e.Delta))];

    /// <summary>After the rows were written with <see cref="Pending"/> in the open transaction: nothing is pending.</summary>
    public void Flushed()
    {
        _undo.Add(new Undo(null, false, null, null, -1, _changed));
        foreach (var entry in _changed)
        {
            entry.Changed = false;
        }
        _changed = [];
        _flushedInTransaction = true;
        Names.Clear(); // the log is empty
    }

    /// <summary>A write starts (inside its savepoint, or alone in the transaction).</summary>
    public void BeginWrite() => (_writeStart, _writeSavedStart) = (_undo.Count, _savedCount);

    /// <summary>The write ended: its changes stay with the transaction, or are undone with its savepoint.</summary>
    public void EndWrite(bool succeeded)
    {
        if (!succeeded)
        {
            UndoTo(_writeStart, _writeSavedStart);
        }
        _writeStart = -1;
    }

    /// <summary>The transaction ended: its changes are committed, or undone with it.</summary>
    public void EndTransaction(bool committed)
    {
        if (committed)
        {
            if (_changed.Count > 0 && (!_committedChanges || _flushedInTransaction))
            {
                OldestUnflushed = Stopwatch.GetTimestamp();
            }
            _committedChanges = _changed.Count > 0;
        }
        else
        {
            UndoTo(0, 0);
        }
        _undo.Clear();
        _savedCount = 0;
        if (_saved.Length > MaxKeptSaved)
        {
            _saved = [];
        }
        _writeStart = -1;
        _flushedInTransaction = false;
        if (_entries.Count > MaxEntries)
        {
            // Nothing refers to an entry now (the undo log is empty): those without a change may go.
            foreach (var (id, entry) in _entries)
            {
                if (!entry.Changed)
                {
                    _entries.Remove(id);
                }
            }
            ForgetRows();
        }
    }

    private Entry EntryOf(string id)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, id, out _);
        return entry ??= new Entry(id);
    }

    // The delta's values before an in-place change, kept for the undo log: where they start in its store.
    private int Save(double[] delta)
    {
        if (_savedCount + delta.Length > _saved.Length)
        {
            Array.Resize(ref _saved, Math.Max(1024, 2 * (_savedCount + delta.Length)));
        }
        delta.CopyTo(_saved, _savedCount);
        _savedCount += delta.Length;
        return _savedCount - delta.Length;
    }

    // Undoes the log back to the given lengths, newest first; the rows remembered meanwhile may show undone changes.
    private void UndoTo(int length, int savedLength)
    {
        for (var i = _undo.Count - 1; i >= length; i--)
        {
            var undo = _undo[i];
            if (undo.Flushed is { } flushed)
            {
                _changed = flushed;
                foreach (var entry in flushed)
                {
                    entry.Changed = true;
                }
            }
            else if (undo.Entry is { } entry)
            {
                if (!undo.Changed)
                {
                    _changed.RemoveAt(_changed.Count - 1); // added by this change, and everything after it is undone
                }
                if (undo.Mutated is { } mutated)
                {
                    _saved.AsSpan(undo.SavedAt, mutated.Length).CopyTo(mutated);
                }
                entry.Changed = undo.Changed;
                entry.Delta = undo.Delta;
            }
        }
        _undo.RemoveRange(length, _undo.Count - length);
        _savedCount = savedLength;
        ForgetRows();
        Names.Clear(); // the rows that named units since are rolled back
    }

    private sealed class Entry(string id)
    {
        public string Id { get; } = id;

        // The unit as the writer sees it, when remembered.
        public UnitRow? Row { get; set; }

        // Whether Delta is not yet in the unit's row.
        public bool Changed { get; set; }

        public double[]? Delta { get; set; }

        // Its number in the log, valid under that generation of the names only.
        public int Name { get; set; }

        public long NameGeneration { get; set; }
    }

    // Before a change: the entry's state (and, for a delta changed in place, that array and where its values were
    // saved), or the list of changed entries a flush wrote.
    private readonly record struct Undo(Entry? Entry, bool Changed, double[]? Delta, double[]? Mutated, int SavedAt, List<Entry>? Flushed);
}
