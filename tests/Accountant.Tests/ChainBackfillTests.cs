using Accounting.Accountant.Contracts;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.Accountant.Verification;
using Accounting.TestSupport;
using Microsoft.Data.Sqlite;

namespace Accounting.Accountant.Tests;

public class ChainBackfillTests
{
    private const string DefaultBudgetSet = "\"kind\":\"defaultBudgetSet\"";

    [Fact]
    public async Task A_ledger_written_before_the_chain_is_hashed_at_start_up_and_verifies_with_its_totals()
    {
        await using var service = await ServiceProcess.StartAsync();
        using (var api = new Api(service.CreateClient()))
        {
            await api.PostAsync<RegisterUnitsResponse>("v1/units", new RegisterUnitsRequest(["old-solo", "old-00003"]));
            await api.PutAsync<UnitResponse>("v1/units/old-00003/budget", new UnitBudgetRequest(4, 1e-6, null));
            await api.CohortAsync("old", Builders.UnitIds("old", 20));
            await api.DpSgdTaskAsync("old-task", "old", steps: 10, samplingRate: 0.1, epsilon: 2);
            for (var step = 0; step < 6; step++)
            {
                await api.ChargeAsync("old-task", step, [new UnitSensitivity("old-00007", 0.5)]);
            }
        }
        await service.StopAsync();
        Downgrade(service.DatabasePath);
        await service.StartAgainAsync();

        using var again = new Api(service.CreateClient());
        using var export = await ExportFile.DownloadAsync(again.Client);
        var lines = export.Lines();
        // The old entries keep their seqs; the policies in force are recorded once, after them.
        Assert.DoesNotContain(DefaultBudgetSet, lines[0], StringComparison.Ordinal);
        Assert.Equal(4, lines.Count(l => l.Contains(DefaultBudgetSet, StringComparison.Ordinal)));
        Assert.All(lines.TakeLast(4), l => Assert.Contains(DefaultBudgetSet, l, StringComparison.Ordinal));
        var result = LedgerVerifier.Verify(export.Path);
        Assert.True(result.Passed, $"{result.Chain.Break} {result.ReplayProblem}");
        Assert.Equal(["old-task"], result.Totals!.Tasks.Select(t => t.Id));
        Assert.Equal(21, result.Totals.Units.Count);
        await TotalsCheck.AssertServiceAgreesAsync(again, result.Totals);

        await service.StopAsync();
        await service.StartAgainAsync();
        using var third = new Api(service.CreateClient());
        Assert.Equal(lines.Length, (await third.GetAsync<LedgerHeadResponse>("v1/audit/head")).Seq); // nothing recorded twice
    }

    // Puts the database back as the version before the chain left it: migration 002 undone, no recorded policies,
    // and entries without the budget ids and unit kinds this version records.
    private static void Downgrade(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            DELETE FROM ledger WHERE kind = 'defaultBudgetSet';
            UPDATE ledger SET seq = seq - 4;
            UPDATE ledger SET payload = json_remove(payload, '$.unitKind') WHERE kind = 'unitsRegistered';
            UPDATE ledger SET payload = json_remove(payload, '$.budgetId') WHERE kind = 'unitBudgetSet';
            DELETE FROM settings WHERE key = 'defaultBudgetsInLedger';
            DROP INDEX ledger_unhashed;
            ALTER TABLE ledger DROP COLUMN hash;
            ALTER TABLE ledger DROP COLUMN prev_hash;
            DELETE FROM schema_migrations WHERE version = 2;
            """;
        command.ExecuteNonQuery();
    }
}
