using Accounting.TestSupport;
using System.Diagnostics;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Events;
using Xunit.Abstractions;

namespace Accounting.Accountant.Tests;

/// <summary>User-level DP-FedAvg at production scale: a million clients, a thousand rounds.</summary>
public class FederatedScaleTests(ITestOutputHelper output)
{
    private const int Clients = 1_000_000;
    private const int Batch = 100_000;
    private const int Rounds = 1000;

    [Fact]
    public async Task A_million_client_cohort_is_charged_for_a_thousand_rounds_without_per_client_storage()
    {
        await using var service = await ServiceProcess.StartAsync();
        using var api = new Api(service.CreateClient());
        var registration = Stopwatch.StartNew();
        await api.PostAsync<CohortResponse>("v1/cohorts", new CreateCohortRequest("clients", UnitKind.Client));
        for (var start = 0; start < Clients; start += Batch)
        {
            var added = await api.PostAsync<AddMembersResponse>("v1/cohorts/clients/members", new AddMembersRequest(Builders.UnitIds("client", Batch, start)));
            Assert.Equal(Batch, added.Added);
        }
        registration.Stop();
        var sizeAfterRegistration = ServiceDatabase.Bytes(service);

        // About 1,000 clients a round, Poisson-sampled; ε = 4 at δ = 1e-8 over 1,000 rounds.
        var task = await api.PostAsync<TaskResponse>("v1/tasks", new CreateTaskRequest(
            "clients", UnitKind.Client, NeighbouringRelation.AddOrRemoveOne, new TrainingPlan(Rounds, SamplingScheme.Poisson, 1e-3),
            new EpsilonDeltaTarget(4, 1e-8), ClipNorm: 0.5, Id: "fedavg"));
        var charging = Stopwatch.StartNew();
        ChargeResponse? last = null;
        for (var round = 0; round < Rounds; round++)
        {
            last = await api.ChargeAsync(task.Id, round);
        }
        charging.Stop();

        Assert.Equal(Clients, last!.ParticipatingUnits);
        Assert.Equal(Rounds, last.NextStep);
        Assert.True(last.TaskSpent.Epsilon <= 4);
        var sizeAfterCharges = ServiceDatabase.Bytes(service);
        // A uniform charge stores its ledger entry and one row per group, not a row per client (which would be at
        // least a megabyte a round here): a few kilobytes a round, whatever the cohort's size.
        var bytesPerCharge = (sizeAfterCharges - sizeAfterRegistration) / (double)Rounds;
        Assert.True(bytesPerCharge < 16 * 1024, $"each charge grew the database by {bytesPerCharge} bytes");
        var client = await api.UnitAsync("client-0123456");
        Assert.Single(client.Tasks);
        Assert.Equal(Rounds - 1, client.Tasks[0].LastStep);

        output.WriteLine($"registration of {Clients} clients: {registration.Elapsed.TotalSeconds:F1} s");
        output.WriteLine($"{Rounds} charges: {charging.Elapsed.TotalSeconds:F1} s, {charging.Elapsed.TotalMilliseconds / Rounds:F2} ms per charge");
        output.WriteLine($"database: {sizeAfterRegistration / 1e6:F1} MB after registration, {sizeAfterCharges / 1e6:F1} MB after charges ({bytesPerCharge:F0} bytes a charge)");
    }
}
