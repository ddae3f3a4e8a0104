using System.Globalization;
using System.Text.Json;

namespace Accounting.Accountant.Verification;

/// <summary>
/// <c>Accounting.Accountant verify &lt;export.jsonl&gt; [--json &lt;totals.json&gt;] [--head &lt;hash&gt;] [--filtered]</c>:
/// checks an export's hash chain and recomputes every total from its events. Exit code 0 when it passes, 1 when the
/// chain is broken (the first bad line and why are printed) or an entry cannot be replayed, 2 for bad arguments.
/// </summary>
public static class VerifyCommand
{
    private const int ListedTasks = 20;

    private const string Usage =
        """
        usage: verify <export.jsonl> [--json <totals.json>] [--head <hash>] [--filtered]
          --json <path>   write every task's and unit's recomputed totals as JSON
          --head <hash>   a head hash kept from GET /v1/audit/head: some entry must carry it (catches a cut-short export)
          --filtered      the export was filtered or resumed: allow gaps in seq, check links where entries are adjacent, no totals
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Runs the command with the arguments after <c>verify</c>, writing its report to <paramref name="output"/>; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        string? path = null, json = null, head = null;
        var filtered = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--json" when i + 1 < args.Count: json = args[++i]; break;
                case "--head" when i + 1 < args.Count: head = args[++i]; break;
                case "--filtered": filtered = true; break;
                case var file when path is null && !file.StartsWith("--", StringComparison.Ordinal): path = file; break;
                default:
                    output.WriteLine(Usage);
                    return 2;
            }
        }
        if (path is null || !File.Exists(path))
        {
            output.WriteLine(path is null ? Usage : $"no such file: {path}");
            return 2;
        }

        var result = LedgerVerifier.Verify(path, filtered, head);
        var chain = result.Chain;
        if (chain.Break is { } broken)
        {
            output.WriteLine($"FAILED: the chain breaks at {broken}");
            return 1;
        }
        output.WriteLine(Invariant($"Chain holds: {chain.Entries} entries up to seq {chain.HeadSeq}, head hash {chain.HeadHash}"));
        if (head is not null)
        {
            output.WriteLine("The head hash given is in the chain.");
        }
        if (result.ReplayProblem is { } problem)
        {
            output.WriteLine($"FAILED: the totals cannot be recomputed: {problem}");
            return 1;
        }
        if (result.Totals is not { } totals)
        {
            output.WriteLine("Filtered export: no totals recomputed.");
            return 0;
        }
        Summarise(totals, output);
        if (json is not null)
        {
            using var file = File.Create(json);
            JsonSerializer.Serialize(file, totals, Json);
            output.WriteLine($"Totals written to {json}");
        }
        return 0;
    }

    private static void Summarise(LedgerTotals totals, TextWriter output)
    {
        var over = totals.Units.Count(u => !u.WithinBudget);
        output.WriteLine(Invariant($"Recomputed from the events: {totals.Tasks.Count} tasks, {totals.Units.Count} units ({over} over budget), {totals.UnknownEntries} entries of other kinds"));
        foreach (var task in totals.Tasks.Take(ListedTasks))
        {
            var spent = task.Epsilon is { } epsilon ? Invariant($"ε = {epsilon:G6} at δ = {task.Delta:G3}") : Invariant($"ρ = {task.Rho:G6}");
            output.WriteLine(Invariant($"  task {task.Id} ({task.State}, {task.Charges} charges): {spent}"));
        }
        if (totals.Tasks.Count > ListedTasks)
        {
            output.WriteLine(Invariant($"  … and {totals.Tasks.Count - ListedTasks} more tasks (see --json)"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
