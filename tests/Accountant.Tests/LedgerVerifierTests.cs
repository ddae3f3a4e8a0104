using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Accounting.Accountant.Audit;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.Accountant.Verification;
using Accounting.TestSupport;

namespace Accounting.Accountant.Tests;

public partial class LedgerVerifierTests(AuditWorkload workload) : IClassFixture<AuditWorkload>
{
    [Fact]
    public async Task Totals_recomputed_from_an_export_equal_the_services_own_for_every_task_and_unit()
    {
        using var api = workload.NewApi();
        var totals = await ExportFile.VerifiedTotalsAsync(api.Client);

        Assert.Equal(AuditWorkload.Tasks.Keys.Order(StringComparer.Ordinal), totals.Tasks.Select(t => t.Id));
        Assert.Equal(AuditWorkload.AllUnits.Order(StringComparer.Ordinal), totals.Units.Select(u => u.Id));
        await TotalsCheck.AssertServiceAgreesAsync(api, totals);

        // The workload did exercise what the replay must follow.
        Assert.True((await api.TaskAsync("task-b")).ExcludedUnits > 0, "shared units ran out of budget in task-b");
        Assert.True((await api.TaskAsync("task-e")).ExcludedUnits > 0, "shared users ran out of ρ in task-e");
        var byUnit = totals.Units.ToDictionary(u => u.Id);
        Assert.NotEqual(byUnit["w-00001"].Spent.Values, byUnit["w-00002"].Spent.Values); // a sensitivity of 0.5 in task-a
        Assert.Equal("dp-accounting/v1", byUnit["w-00005"].Spent.Grid);                     // its own budget's grid
        Assert.Equal(byUnit["w-00000"].BudgetId, byUnit["w-00006"].BudgetId);               // an override equal to the policy shares it
        Assert.True(byUnit["w-00125"].Spent.Values[0] < byUnit["w-00119"].Spent.Values[0], "a member who joined mid-task paid fewer steps");
    }

    [Fact]
    public async Task An_edited_entry_is_found_at_its_own_line()
    {
        using var export = await ExportAsync();
        var k = MiddleCharge(export);
        using var edited = export.With(lines => lines.Select((line, i) => i == k - 1 ? NoiseMultiplier().Replace(line, "${1}100", 1) : line));

        var found = LedgerVerifier.Verify(edited.Path).Chain.Break;

        Assert.Equal(new ChainBreak(k, k, BreakKind.Edited, found?.Reason ?? ""), found);
    }

    [Fact]
    public async Task A_deleted_entry_is_found_where_its_seq_is_missing()
    {
        using var export = await ExportAsync();
        var k = MiddleCharge(export);
        using var deleted = export.With(lines => lines.Where((_, i) => i != k - 1));

        var found = LedgerVerifier.Verify(deleted.Path).Chain.Break;

        Assert.Equal(new ChainBreak(k, k, BreakKind.Missing, found?.Reason ?? ""), found);
    }

    [Fact]
    public async Task Two_swapped_entries_are_found_as_reordered_at_the_first_of_them()
    {
        using var export = await ExportAsync();
        var k = MiddleCharge(export);
        using var swapped = export.With(lines =>
        {
            (lines[k - 1], lines[k]) = (lines[k], lines[k - 1]);
            return lines;
        });

        var found = LedgerVerifier.Verify(swapped.Path).Chain.Break;

        Assert.Equal(new ChainBreak(k, k + 1, BreakKind.Reordered, found?.Reason ?? ""), found);
    }

    [Fact]
    public async Task An_entry_rewritten_with_a_recomputed_hash_breaks_the_next_link()
    {
        using var export = await ExportAsync();
        var k = MiddleCharge(export);
        using var rewritten = export.With(lines =>
        {
            var line = NoiseMultiplier().Replace(lines[k - 1], "${1}100", 1);
            var entry = ExportEntry.Parse(Encoding.UTF8.GetBytes(line));
            var hash = LedgerChain.Hash(entry.PrevHash, entry.Seq, entry.At, entry.Actor, entry.Kind, entry.Task, entry.Payload.Span);
            lines[k - 1] = line.Replace(LedgerChain.Hex(entry.Hash), LedgerChain.Hex(hash), StringComparison.Ordinal);
            return lines;
        });

        var found = LedgerVerifier.Verify(rewritten.Path).Chain.Break;

        Assert.Equal(new ChainBreak(k + 1, k + 1, BreakKind.Unlinked, found?.Reason ?? ""), found);
        Assert.Contains($"seq {k} was rewritten", found!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_export_cut_short_is_caught_by_the_head_hash_the_auditor_kept()
    {
        using var api = workload.NewApi();
        var head = await api.GetAsync<LedgerHeadResponse>("v1/audit/head");
        using var export = await ExportAsync();
        using var cut = export.With(lines => lines.SkipLast(2));

        Assert.True(LedgerVerifier.Verify(cut.Path).Passed, "without the head, a shorter chain is still a chain");
        var found = LedgerVerifier.Verify(cut.Path, headHash: head.Hash).Chain.Break;
        Assert.Equal(BreakKind.HeadNotFound, found?.Kind);
        Assert.True(LedgerVerifier.Verify(export.Path, headHash: head.Hash).Passed);
    }

    [Fact]
    public async Task The_verify_command_of_the_service_checks_an_export_and_writes_its_totals()
    {
        using var api = workload.NewApi();
        using var export = await ExportAsync();
        var head = await api.GetAsync<LedgerHeadResponse>("v1/audit/head");
        var json = Path.GetTempFileName();
        try
        {
            var (code, output) = await RunVerifierAsync(export.Path, "--json", json, "--head", head.Hash);
            Assert.True(code == 0, output);
            Assert.Contains($"Chain holds: {head.Seq} entries up to seq {head.Seq}, head hash {head.Hash}", output, StringComparison.Ordinal);
            var totals = JsonSerializer.Deserialize<LedgerTotals>(await File.ReadAllTextAsync(json), Api.Json)!;
            var served = await api.TaskAsync("task-a");
            Close.Equal(served.Spent.Epsilon, totals.Tasks.Single(t => t.Id == "task-a").Epsilon, TotalsCheck.Tolerance, "task-a ε");

            var k = MiddleCharge(export);
            using var edited = export.With(lines => lines.Select((line, i) => i == k - 1 ? NoiseMultiplier().Replace(line, "${1}100", 1) : line));
            (code, output) = await RunVerifierAsync(edited.Path);
            Assert.Equal(1, code);
            Assert.Contains($"the chain breaks at line {k} (seq {k}): edited", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(json);
        }
    }

    private async Task<ExportFile> ExportAsync()
    {
        using var api = workload.NewApi();
        var export = await ExportFile.DownloadAsync(api.Client);
        // In a whole export the n-th line holds seq n, so a line number names an entry.
        Assert.All(export.Lines().Select((line, i) => (line, i)), l => Assert.StartsWith($"{{\"seq\":{l.i + 1},", l.line, StringComparison.Ordinal));
        return export;
    }

    // The line (= seq) of a charge half-way through the export, with a charge after it.
    private static int MiddleCharge(ExportFile export)
    {
        var charges = export.Lines().Select((line, i) => (line, n: i + 1)).Where(l => l.line.Contains("\"kind\":\"charge\"", StringComparison.Ordinal)).ToList();
        return charges[charges.Count / 2].n;
    }

    private static async Task<(int Code, string Output)> RunVerifierAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [ServiceProcess.ServiceAssembly(), "verify", .. args])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    [GeneratedRegex("(\"noiseMultiplier\":)[0-9.eE+-]+")]
    private static partial Regex NoiseMultiplier();
}
