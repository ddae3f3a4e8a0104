using System.Buffers;
using Accounting.Accountant.Storage;

namespace Accounting.Accountant.Audit;

/// <summary>How ledger entries are written to an export, one after another, each with its link in the hash chain.</summary>
public abstract class LedgerExportFormat
{
    /// <summary>The export's media type.</summary>
    public abstract string ContentType { get; }

    /// <summary>Writes what comes before the first entry.</summary>
    public virtual void WriteHeader(IBufferWriter<byte> output)
    {
    }

    /// <summary>Writes one entry.</summary>
    public abstract void Write(IBufferWriter<byte> output, LedgerRow entry);

    /// <summary>An entry's prevHash and hash in hex.</summary>
    protected static (string PrevHash, string Hash) Link(LedgerRow entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry is { PrevHash: { } prevHash, Hash: { } hash }
            ? (LedgerChain.Hex(prevHash), LedgerChain.Hex(hash))
            : throw new InvalidOperationException($"entry {entry.Seq} has no hash; the start-up backfill did not run");
    }
}
