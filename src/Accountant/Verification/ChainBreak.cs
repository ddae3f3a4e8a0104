namespace Accounting.Accountant.Verification;

/// <summary>How an export departs from an intact hash chain.</summary>
public enum BreakKind
{
    /// <summary>A line is not a ledger entry.</summary>
    Malformed,

    /// <summary>An entry's fields do not hash to its hash: its content was edited.</summary>
    Edited,

    /// <summary>Sequence numbers skip: entries were deleted.</summary>
    Missing,

    /// <summary>Sequence numbers go back: entries were moved.</summary>
    Reordered,

    /// <summary>An entry's prevHash is not the previous entry's hash: an entry was rewritten with a new hash, or replaced.</summary>
    Unlinked,

    /// <summary>No entry carries the head hash the auditor holds: the export was cut short or rewritten.</summary>
    HeadNotFound,
}

/// <summary>The first place where an export's chain fails, and why.</summary>
/// <param name="Line">1-based line number in the export.</param>
/// <param name="Seq">The sequence number concerned (the first missing one for <see cref="BreakKind.Missing"/>), if known.</param>
/// <param name="Kind">What kind of failure.</param>
/// <param name="Reason">An explanation for the auditor.</param>
public sealed record ChainBreak(long Line, long? Seq, BreakKind Kind, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"line {Line}{(Seq is { } seq ? $" (seq {seq})" : "")}: {Kind.ToString().ToLowerInvariant()}: {Reason}";
}
