using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Tests;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.TestSupport;

namespace Accounting.Accountant.Postgres.Tests;

/// <summary>Several service processes on one PostgreSQL database: what the store's concurrency design must hold up.</summary>
public class ReplicaTests
{
    [Fact]
    public async Task Two_replicas_starting_together_on_a_new_database_migrate_seed_and_create_one_admin_key_once()
    {
        var replicas = await ServiceProcess.StartReplicasAsync(2);
        await using var first = replicas[0];
        await using var second = replicas[1];

        Assert.NotNull(first.AdminKey); // one bootstrap key file, which both read
        foreach (var replica in replicas)
        {
            using var api = new Api(replica.CreateClient());
            Assert.Single(await api.GetAsync<KeyResponse[]>("v1/keys"));
        }
        using var auditor = new Api(second.CreateClient());
        using var export = await ExportFile.DownloadAsync(auditor.Client);
        var kinds = export.Lines().Select(line => JsonDocument.Parse(line).RootElement.GetProperty("kind").GetString()).ToList();
        Assert.Equal(Enum.GetValues<UnitKind>().Length, kinds.Count(k => k == "defaultBudgetSet")); // each policy recorded once
        Assert.Single(kinds, "keyCreated");
        await ExportFile.VerifiedTotalsAsync(auditor.Client);
    }

    [Fact]
    public async Task Sixty_four_clients_through_two_replicas_never_overspend_and_every_acknowledged_charge_is_in_the_ledger_once()
    {
        var replicas = await ServiceProcess.StartReplicasAsync(2, ConcurrencyTests.Settings);
        await using var first = replicas[0];
        await using var second = replicas[1];
        await ConcurrencyTests.ChargeConcurrentlyAsync(replicas, clients: 64);
    }

    [Fact]
    public async Task Killing_one_of_two_replicas_twice_under_load_loses_no_acknowledged_charge_and_doubles_none()
    {
        var replicas = await ServiceProcess.StartReplicasAsync(2, CrashTests.Settings);
        await using var first = replicas[0];
        await using var second = replicas[1];
        await CrashTests.KillUnderLoadAsync(replicas);
    }

    [Fact]
    public async Task A_key_revoked_through_one_replica_is_refused_by_another_once_its_key_cache_expires()
    {
        var lifetime = TimeSpan.FromSeconds(1);
        var replicas = await ServiceProcess.StartReplicasAsync(2, new Dictionary<string, string>
        {
            ["Accountant__Auth__KeyCacheSeconds"] = lifetime.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        });
        await using var first = replicas[0];
        await using var second = replicas[1];
        using var admin = new Api(first.CreateClient());
        var created = await admin.CreateKeyAsync("on two replicas", KeyRole.Trainer);
        using var atFirst = first.As(created.Key);
        using var atSecond = second.As(created.Key);
        Assert.Equal(HttpStatusCode.NotFound, (await atSecond.RawAsync(HttpMethod.Get, "v1/cohorts/none", null)).Status); // the second now trusts it

        var revoking = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.RawAsync(HttpMethod.Delete, $"v1/keys/{created.Id}", null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await atFirst.RawAsync(HttpMethod.Get, "v1/cohorts/none", null)).Status);
        // The second read the key before the revocation began, so its trust has ended one lifetime after that.
        var rest = lifetime - revoking.Elapsed + TimeSpan.FromMilliseconds(50);
        if (rest > TimeSpan.Zero)
        {
            await Task.Delay(rest);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await atSecond.RawAsync(HttpMethod.Get, "v1/cohorts/none", null)).Status);
    }

    [Fact]
    public async Task Entries_a_writer_committed_but_did_not_seal_before_it_died_are_chained_at_the_next_start()
    {
        await using var service = await ServiceProcess.StartAsync();
        await service.StopAsync();
        // What a writer killed between its commit and its seal leaves behind: committed, staged, not yet in the chain.
        await using (var connection = new Npgsql.NpgsqlConnection(service.PostgresConnectionString))
        {
            await connection.OpenAsync();
            await using var stage = new Npgsql.NpgsqlCommand(
                "INSERT INTO ledger_staged (at, actor, kind, task_id, payload) VALUES (@at, 'ak_0000000000000000', 'keyRevoked', NULL, '{\"key\":\"ak_0000000000000001\"}')",
                connection);
            stage.Parameters.AddWithValue("at", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            await stage.ExecuteNonQueryAsync();
        }

        await service.StartAgainAsync();
        using var auditor = new Api(service.CreateClient());
        using var export = await ExportFile.DownloadAsync(auditor.Client);
        var last = JsonDocument.Parse(export.Lines()[^1]).RootElement;
        Assert.Equal("keyRevoked", last.GetProperty("kind").GetString());
        Assert.Equal("ak_0000000000000001", last.GetProperty("payload").GetProperty("key").GetString());
        await ExportFile.VerifiedTotalsAsync(auditor.Client); // the whole chain, the sealed entry included, verifies
    }

    [Fact]
    public async Task Units_joining_a_cohort_while_two_replicas_charge_its_tasks_are_charged_exactly_as_the_ledger_says()
    {
        var replicas = await ServiceProcess.StartReplicasAsync(2, CrashTests.Settings);
        await using var first = replicas[0];
        await using var second = replicas[1];
        using var setup = new Api(first.CreateClient());
        var units = Builders.UnitIds("j", 250);
        await setup.CohortAsync("j0", units[..100]);
        await setup.CohortAsync("j1", units[50..150]); // 50 shared units
        for (var t = 0; t < 16; t++)
        {
            await setup.DpSgdTaskAsync($"jt{t}", $"j{t % 2}", steps: 40, samplingRate: 0.2, epsilon: 1.2);
        }

        // Trainers charge through both replicas while units join j0 through the second: fresh ones, and j1's own (each
        // joins with what it has spent there), in batches of 10.
        var trainers = Enumerable.Range(0, 16).Select(t => Task.Run(async () =>
        {
            using var api = new Api(replicas[t % 2].CreateClient());
            for (var step = 0; step < 40; step++)
            {
                try
                {
                    await api.ChargeAsync($"jt{t}", step);
                }
                catch (ApiProblemException problem) when (problem.Type is "urn:accounting:problem:quota-exhausted" or "urn:accounting:problem:task-closed")
                {
                    return;
                }
            }
        })).ToArray();
        using (var joiner = new Api(second.CreateClient()))
        {
            foreach (var batch in units[100..250].Chunk(10))
            {
                await joiner.PostAsync<AddMembersResponse>("v1/cohorts/j0/members", new AddMembersRequest(batch));
            }
        }
        await Task.WhenAll(trainers);

        // The verifier replays every charge over the membership the ledger records as of it: a unit that joined before a
        // charge was entered but was not charged (or the other way round) would make its totals differ from the service's.
        await TotalsCheck.AssertServiceAgreesAsync(setup, await ExportFile.VerifiedTotalsAsync(setup.Client));
        var bounds = FilterCheck.Bounds(3, 1e-6, Accounting.Mechanisms.Rdp.OrderGrids.Filter);
        foreach (var id in units)
        {
            Assert.True(FilterCheck.WithinBudget((await setup.UnitAsync(id)).Spent.Values(), bounds), $"{id} is over its budget");
        }
        Assert.Equal(250, (await setup.GetAsync<CohortResponse>("v1/cohorts/j0")).Members);
    }
}
