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
}
