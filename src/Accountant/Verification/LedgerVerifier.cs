namespace Accounting.Accountant.Verification;

/// <summary>What a verification found: the chain's state, and the totals when they could be recomputed.</summary>
/// <param name="Chain">The chain check.</param>
/// <param name="Totals">Every task's and unit's spend, for an unfiltered export whose chain holds.</param>
/// <param name="ReplayProblem">Why the totals could not be recomputed from an intact chain, if they could not.</param>
public sealed record VerificationResult(ChainResult Chain, LedgerTotals? Totals, string? ReplayProblem)
{
    /// <summary>Whether the export passed: the chain holds and, for an unfiltered export, every entry replays.</summary>
    public bool Passed => Chain.Break is null && ReplayProblem is null;
}

/// <summary>
/// Verifies a ledger export independently of the service: two streaming passes over the file, the first over the
/// hash chain (<see cref="ChainCheck"/>), the second, once the chain holds, recomputing every total from the
/// recorded events (<see cref="SpendReplay"/>). Memory grows with units and tasks, never with entries.
/// </summary>
public static class LedgerVerifier
{
    /// <summary>Verifies the JSON Lines export at <paramref name="path"/>.</summary>
    /// <param name="path">The export.</param>
    /// <param name="filtered">Whether the export was filtered or resumed: gaps are then expected and no totals are computed.</param>
    /// <param name="headHash">A head hash the auditor holds (GET /v1/audit/head), which some entry must carry.</param>
    public static VerificationResult Verify(string path, bool filtered = false, string? headHash = null)
    {
        var chain = ChainCheck.Run(path, filtered, headHash?.ToLowerInvariant());
        if (chain.Break is not null || filtered)
        {
            return new VerificationResult(chain, null, null);
        }
        try
        {
            return new VerificationResult(chain, SpendReplay.Run(path, chain), null);
        }
        catch (InvalidDataException e)
        {
            return new VerificationResult(chain, null, e.Message);
        }
    }
}
