using System.Diagnostics;
using System.Globalization;
using Accounting.Accountant.Audit;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.Accountant.Verification;
using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;
using Accounting.TestSupport;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Accounting.Accountant.Tests;

public class LargeExportTests(ITestOutputHelper output)
{
    private const int Seeded = 1_000_000;

    // The service's managed heap is capped well below the export's size (~400 MB), so an export that buffered would
    // fail with OutOfMemoryException instead of streaming.
    private const long HeapLimit = 128L << 20;

    // Where the export's (~478 MB) peak memory is read a second time, a little under half way.
    private const long Midway = 220_000_000;
    private static readonly PrivacyEvent Step = new PoissonSampledEvent(0.001, new GaussianEvent(1.2));

    [Fact]
    public async Task A_million_entry_ledger_is_exported_in_constant_memory_and_its_whole_chain_verifies()
    {
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string>
        {
            ["DOTNET_GCHeapHardLimit"] = $"0x{HeapLimit:X}",
        });
        using (var api = new Api(service.CreateClient()))
        {
            await api.CohortAsync("bulk", Builders.UnitIds("bulk", 3));
            await api.PostAsync<TaskResponse>("v1/tasks", new CreateTaskRequest(
                "bulk", UnitKind.Example, NeighbouringRelation.AddOrRemoveOne, new TrainingPlan(2_000_000, SamplingScheme.Poisson, 0.001),
                new EpsilonDeltaTarget(8, 1e-5), 1.0, Grid: "filter/v1", Id: "bulk-task"));
        }
        await service.StopAsync();
        var clock = Stopwatch.StartNew();
        if (service.PostgresConnectionString is { } postgres)
        {
            await SeedPostgresAsync(postgres);
        }
        else
        {
            SeedSqlite(service.DatabasePath);
        }
        var seeding = clock.Elapsed;
        await service.StartAgainAsync();

        using var client = service.CreateClient();
        var before = PeakResidentKilobytes(service.ProcessId);
        long? atMidway = null;
        clock.Restart();
        using var export = await ExportFile.DownloadAsync(client, progress: received =>
            atMidway ??= received >= Midway ? PeakResidentKilobytes(service.ProcessId) : null);
        var exporting = clock.Elapsed;
        var after = PeakResidentKilobytes(service.ProcessId);
        var head = await new Api(client).GetAsync<LedgerHeadResponse>("v1/audit/head");
        clock.Restart();
        var result = LedgerVerifier.Verify(export.Path, headHash: head.Hash);
        var verifying = clock.Elapsed;

        var bytes = new FileInfo(export.Path).Length;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Chain.Entries} entries, {bytes / 1e6:F0} MB exported in {exporting.TotalSeconds:F1} s; seeded in {seeding.TotalSeconds:F1} s; " +
            $"verified in {verifying.TotalSeconds:F1} s; service peak RSS {before / 1024} MB before the export, {atMidway / 1024} MB at {Midway / 1_000_000} MB, {after / 1024} MB after"));
        Assert.True(result.Passed, $"{result.Chain.Break} {result.ReplayProblem}");
        Assert.Equal(head.Seq, result.Chain.Entries);
        Assert.True(result.Chain.Entries > Seeded);
        // The export is streamed a page at a time: within the capped heap, and the service's peak memory grows by a
        // fixed amount whatever the ledger's size. That amount (the server GC's allocation budgets, the page cache) is
        // 63-70 MB here and reached within the first 200 MB; after that the peak stays put (at most 1 MB more by the end, in
        // runs that printed it every 50 MB), so the export's second half must not raise it.
        Assert.True(bytes > 2 * HeapLimit && bytes > 2 * Midway, $"the export ({bytes} bytes) must dwarf the heap limit and run well past midway");
        Assert.True(after - atMidway < 8 * 1024, $"the service's peak RSS grew by {(after - atMidway) / 1024} MB over the export's last {(bytes - Midway) / 1_000_000} MB");
        Assert.True(after - before < 128 * 1024, $"the service's peak RSS grew by {(after - before) / 1024} MB for a {bytes / 1_000_000} MB export");

        // The totals of a million identical steps, recomputed from the events, are the steps composed at once.
        var task = result.Totals!.Tasks.Single();
        Assert.Equal(Seeded, task.Charges);
        var composed = RdpAccountant.Curve(new SelfComposedEvent(Seeded, Step), OrderGrids.Filter, NeighbouringRelation.AddOrRemoveOne).Epsilons.ToArray();
        Close.Equal([.. composed.Select(v => (double?)v)], task.Spent.Values, 1e-9, "task curve");
        Close.Equal([.. composed.Select(v => (double?)v)], result.Totals.Units.Single(u => u.Id == "bulk-00000").Spent.Values, 1e-9, "unit curve");
    }

    // Appends a million charges of the bulk task straight into the service's database (the service is stopped), each
    // chained with the service's own framing: through the API every charge would be its own durable transaction,
    // minutes for a million. The charges leave out the informational cost curve, to keep lines short.
    private static void SeedSqlite(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        // Written once into the DB file rather than through the WAL; the service puts WAL back on start.
        using (var pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = "PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF;";
            pragmas.ExecuteNonQuery();
        }
        using var transaction = connection.BeginTransaction();
        using var last = connection.CreateCommand();
        last.CommandText = "SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1";
        long lastSeq;
        byte[] lastHash;
        using (var reader = last.ExecuteReader())
        {
            reader.Read();
            (lastSeq, lastHash) = (reader.GetInt64(0), (byte[])reader[1]);
        }
        using var insert = connection.CreateCommand();
        insert.CommandText =
            "INSERT INTO ledger (seq, at, actor, kind, task_id, payload, prev_hash, hash) VALUES ($seq, $at, 'anonymous', 'charge', 'bulk-task', $payload, $prev, $hash)";
        var (seq, at, payload, prev, hash) = (insert.Parameters.Add("$seq", SqliteType.Integer), insert.Parameters.Add("$at", SqliteType.Text),
            insert.Parameters.Add("$payload", SqliteType.Text), insert.Parameters.Add("$prev", SqliteType.Blob), insert.Parameters.Add("$hash", SqliteType.Blob));
        insert.Prepare();
        foreach (var entry in Charges(lastSeq, lastHash))
        {
            (seq.Value, at.Value, payload.Value, prev.Value, hash.Value) = (entry.Seq, entry.At, entry.Payload, entry.PrevHash, entry.Hash);
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    // The same on PostgreSQL, by binary COPY, moving the chain's head row along.
    private static async Task SeedPostgresAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        long lastSeq;
        byte[] lastHash;
        await using (var last = new Npgsql.NpgsqlCommand("SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1", connection, transaction))
        await using (var reader = await last.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            (lastSeq, lastHash) = (reader.GetInt64(0), (byte[])reader[1]);
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY ledger (seq, at, actor, kind, task_id, payload, prev_hash, hash) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var entry in Charges(lastSeq, lastHash))
            {
                await copy.WriteRowAsync(default, entry.Seq, entry.At, "anonymous", "charge", "bulk-task", entry.Payload, entry.PrevHash, entry.Hash);
            }
            await copy.CompleteAsync();
        }
        await using (var head = new Npgsql.NpgsqlCommand($"UPDATE ledger_head SET seq = {lastSeq + Seeded}", connection, transaction))
        {
            await head.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    // The seeded charges, chained after (seq, hash), one a tick apart.
    private static IEnumerable<(long Seq, string At, string Payload, byte[] PrevHash, byte[] Hash)> Charges(long lastSeq, byte[] lastHash)
    {
        var start = DateTimeOffset.UtcNow;
        var stepJson = EventJson.Serialize(Step);
        for (var step = 0; step < Seeded; step++)
        {
            var time = start.AddTicks(step).ToString("O", CultureInfo.InvariantCulture);
            var text = $$"""{"task":"bulk-task","step":{{step}},"cohort":"bulk","event":{{stepJson}},"rho":null,"sensitivities":[],"excludedUnits":[]}""";
            var next = LedgerChain.Hash(lastHash, ++lastSeq, time, "anonymous", "charge", "bulk-task", text);
            yield return (lastSeq, time, text, lastHash, next);
            lastHash = next;
        }
    }

    // VmHWM: the process's peak resident set since it started (proc(5)).
    private static long PeakResidentKilobytes(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
