namespace Accounting.Accountant.Contracts;

/// <summary>The ledger's head: its last entry's place in the hash chain.</summary>
/// <param name="Seq">The last entry's sequence number (0 for an empty ledger).</param>
/// <param name="At">Its recorded time, as hashed (ISO 8601, UTC); null for an empty ledger.</param>
/// <param name="Hash">Its hash (lowercase hex); 64 zeros for an empty ledger.</param>
public sealed record LedgerHeadResponse(long Seq, string? At, string Hash);
