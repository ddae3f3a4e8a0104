using Accounting.Accountant.Storage;

namespace Accounting.Accountant.Audit;

/// <summary>
/// Hashes, once and in seq order, the entries written before the ledger had its hash chain, so that an old ledger
/// verifies like a new one. Runs at start-up, before anything is appended.
/// </summary>
public static class ChainBackfill
{
    private const int Page = 1000;

    /// <summary>Chains every unhashed entry to the one before it; returns how many were hashed.</summary>
    public static long Run(IStoreSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var hashed = 0L;
        for (var page = session.UnhashedLedger(Page); page.Count > 0; page = session.UnhashedLedger(Page))
        {
            // Pages come in seq order, so everything before the first unhashed entry is hashed already.
            var before = session.LedgerEntryBefore(page[0].Seq);
            var prevHash = before is null ? LedgerChain.Genesis.ToArray() : before.Hash ?? throw new InvalidOperationException($"entry {before.Seq} has no hash");
            foreach (var entry in page)
            {
                var hash = LedgerChain.Hash(prevHash, entry.Seq, entry.At, entry.Actor, entry.Kind, entry.TaskId, entry.Payload);
                session.SetLedgerHash(entry.Seq, prevHash, hash);
                prevHash = hash;
            }
            hashed += page.Count;
        }
        return hashed;
    }
}
