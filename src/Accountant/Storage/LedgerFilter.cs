namespace Accounting.Accountant.Storage;

/// <summary>
/// Which ledger entries an export holds: up to <paramref name="ThroughSeq"/> (the head when the export began), at or
/// after <paramref name="From"/> and before <paramref name="To"/>, of one task, or concerning one unit.
/// </summary>
public sealed record LedgerFilter(long ThroughSeq, DateTimeOffset? From = null, DateTimeOffset? To = null, string? TaskId = null, string? UnitId = null);
