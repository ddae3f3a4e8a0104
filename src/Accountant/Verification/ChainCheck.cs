using System.Text.Json;
using Accounting.Accountant.Audit;
using Accounting.Accountant.Domain;

namespace Accounting.Accountant.Verification;

/// <summary>What a pass over the chain found.</summary>
/// <param name="Entries">Entries read (up to the break, if any).</param>
/// <param name="HeadSeq">The last entry's sequence number.</param>
/// <param name="HeadHash">The last entry's hash (hex).</param>
/// <param name="Break">The first failure, or null when the chain holds.</param>
/// <param name="FirstPolicies">The first recorded default policy of each unit kind (payload JSON), in force from the start.</param>
public sealed record ChainResult(long Entries, long HeadSeq, string HeadHash, ChainBreak? Break, IReadOnlyDictionary<string, string> FirstPolicies);

/// <summary>
/// Checks an export's hash chain in one streaming pass (Audit/LedgerChain): every line's hash from its fields, every
/// link (prevHash is the previous entry's hash), and for an unfiltered export sequence numbers 1, 2, 3, … without
/// gaps. It stops at the first failure, looking one line ahead to tell a moved entry from a deleted one.
/// </summary>
internal static class ChainCheck
{
    /// <summary>Checks the export at <paramref name="path"/>; a filtered one may skip seqs (links are checked where they are adjacent).</summary>
    /// <param name="path">A JSON Lines export.</param>
    /// <param name="filtered">Whether the export was filtered (or resumed), so that gaps are expected.</param>
    /// <param name="headHash">A head hash the auditor holds (hex): some entry must carry it.</param>
    public static ChainResult Run(string path, bool filtered, string? headHash)
    {
        var policies = new Dictionary<string, string>(StringComparer.Ordinal);
        ExportEntry? previous = null;
        long entries = 0, lastLine = 0;
        var headFound = false;
        using var lines = ExportReader.Lines(path).GetEnumerator();
        var next = Read(lines);
        while (next is { } current)
        {
            next = Read(lines);
            lastLine = current.Line;
            ChainResult Broken(long? seq, BreakKind kind, string reason) =>
                new(entries, previous?.Seq ?? 0, previous is null ? "" : LedgerChain.Hex(previous.Hash), new ChainBreak(current.Line, seq, kind, reason), policies);

            if (current.Entry is not { } entry)
            {
                return Broken(null, BreakKind.Malformed, current.Error!);
            }
            var expected = (previous?.Seq ?? 0) + 1;
            if (previous is not null && entry.Seq <= previous.Seq)
            {
                return Broken(entry.Seq, BreakKind.Reordered, $"seq {entry.Seq} comes after seq {previous.Seq}");
            }
            if (!filtered && entry.Seq != expected)
            {
                return next?.Entry is { } following && following.Seq < entry.Seq
                    ? Broken(entry.Seq, BreakKind.Reordered, $"seq {entry.Seq} comes before seq {following.Seq} (line {next.Value.Line})")
                    : Broken(expected, BreakKind.Missing, previous is null
                        ? $"the export starts at seq {entry.Seq}, not at seq 1: entries were deleted"
                        : $"seq {expected}{(entry.Seq > expected + 1 ? $"–{entry.Seq - 1}" : "")} missing: seq {entry.Seq} follows seq {previous.Seq}");
            }
            var linked = previous is null ? (filtered ? null : LedgerChain.Genesis.ToArray()) : entry.Seq == previous.Seq + 1 ? previous.Hash : null;
            if (linked is not null && !entry.PrevHash.AsSpan().SequenceEqual(linked))
            {
                return Broken(entry.Seq, BreakKind.Unlinked, previous is null
                    ? "the first entry's prevHash is not 64 zeros"
                    : $"its prevHash is not the hash of seq {previous.Seq}: seq {previous.Seq} was rewritten with a new hash, or seq {entry.Seq} replaced");
            }
            var hash = LedgerChain.Hash(entry.PrevHash, entry.Seq, entry.At, entry.Actor, entry.Kind, entry.Task, entry.Payload.Span);
            if (!hash.AsSpan().SequenceEqual(entry.Hash))
            {
                return Broken(entry.Seq, BreakKind.Edited, "its fields do not hash to its hash: the entry was edited");
            }
            headFound |= headHash is not null && LedgerChain.Hex(hash) == headHash;
            if (entry.Kind == LedgerKinds.DefaultBudgetSet)
            {
                RememberPolicy(policies, entry);
            }
            previous = entry;
            entries++;
        }
        var result = new ChainResult(entries, previous?.Seq ?? 0, previous is null ? "" : LedgerChain.Hex(previous.Hash), null, policies);
        return entries == 0 && !filtered ? result with { Break = new ChainBreak(1, null, BreakKind.Malformed, "the export holds no entries") }
            : headHash is not null && !headFound ? result with
            {
                Break = new ChainBreak(lastLine, previous!.Seq, BreakKind.HeadNotFound, $"no entry has the hash {headHash}: the export was cut short or rewritten"),
            }
            : result;
    }

    private static void RememberPolicy(Dictionary<string, string> policies, ExportEntry entry)
    {
        try
        {
            using var payload = JsonDocument.Parse(entry.Payload);
            if (payload.RootElement.TryGetProperty("unitKind", out var kind) && kind.ValueKind == JsonValueKind.String)
            {
                policies.TryAdd(kind.GetString()!, System.Text.Encoding.UTF8.GetString(entry.Payload.Span));
            }
        }
        catch (JsonException)
        {
            // Not the chain's concern: the replay of totals reports payloads it cannot read.
        }
    }

    private static (long Line, ExportEntry? Entry, string? Error)? Read(IEnumerator<(long Number, byte[] Line)> lines)
    {
        if (!lines.MoveNext())
        {
            return null;
        }
        var (number, line) = lines.Current;
        try
        {
            return (number, ExportEntry.Parse(line), null);
        }
        catch (FormatException e)
        {
            return (number, null, $"not a ledger entry: {e.Message}");
        }
    }
}
