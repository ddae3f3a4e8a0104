using System.Net;
using Accounting.Accountant.Contracts;
using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Events;
using Accounting.TestSupport;
using Accounting.TrainerAdapters.Client;
using Accounting.TrainerAdapters.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Accounting.TrainerAdapters.Tests.Client;

/// <summary>The typed client against the real service, directly or through a relay that breaks real connections.</summary>
public sealed class AccountantClientTests : IAsyncLifetime
{
    private ServiceProcess? _service;

    private ServiceProcess Service => _service!;

    public async Task InitializeAsync() => _service = await ServiceProcess.StartAsync();

    public async Task DisposeAsync() => await Service.DisposeAsync();

    [Fact]
    public async Task A_charge_retried_after_a_dropped_connection_is_replayed_not_charged_twice()
    {
        using var admin = Client(Service.BaseAddress);
        var task = await NewTaskAsync(admin.GetRequiredService<AccountantClient>(), "dropped");

        // The service charges step 0 and the connection is reset before its answer gets through, twice; the client
        // retries on a new connection with the same key.
        await using var proxy = new FaultyProxy(Service.BaseAddress, drops: 2);
        using var dropping = Client(proxy.Address);
        var charge = await dropping.GetRequiredService<AccountantClient>().ChargeAsync(task.Id, 0);

        Assert.Equal(2, proxy.Dropped);
        Assert.Equal(1, charge.NextStep);
        var client = admin.GetRequiredService<AccountantClient>();
        Assert.Equal(1, (await client.GetTaskAsync(task.Id)).NextStep);
        var charges = 0;
        await foreach (var line in client.LedgerAsync(new LedgerQuery(Task: task.Id)))
        {
            charges += line.Contains("\"kind\":\"charge\"", StringComparison.Ordinal) ? 1 : 0;
        }
        Assert.Equal(1, charges);
    }

    [Fact]
    public async Task Problems_come_back_as_typed_exceptions_naming_their_fields()
    {
        using var provider = Client(Service.BaseAddress);
        var client = provider.GetRequiredService<AccountantClient>();
        var invalid = await Assert.ThrowsAsync<AccountantProblemException>(() =>
            client.EpsilonAsync(new EpsilonRequest(new GaussianEvent(-1), 1e-5)));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Equal("urn:accounting:problem:invalid-input", invalid.Type);
        Assert.Contains("event.noiseMultiplier", invalid.Errors.Keys);

        var task = await NewTaskAsync(client, "typed", steps: 2, epsilon: 0.3);
        var quota = await Assert.ThrowsAsync<QuotaExhaustedException>(async () =>
        {
            for (var step = 0; ; step++)
            {
                await client.ChargeAsync(task.Id, step);
            }
        });
        Assert.Equal(HttpStatusCode.Conflict, quota.Status);
        var next = (await client.GetTaskAsync(task.Id)).NextStep;
        await Assert.ThrowsAsync<TaskClosedException>(() => client.ChargeAsync(task.Id, next));
        var missing = await Assert.ThrowsAsync<AccountantProblemException>(() => client.GetTaskAsync("no-such-task"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    [Fact]
    public async Task A_call_cancelled_in_flight_stops_with_OperationCanceledException()
    {
        await using var proxy = new FaultyProxy(Service.BaseAddress, hold: true);
        using var provider = Client(proxy.Address);
        using var cancel = new CancellationTokenSource();
        var call = provider.GetRequiredService<AccountantClient>().GetCohortAsync("any", cancel.Token);
        while (proxy.BytesIn == 0)
        {
            await Task.Delay(10); // the request has left the client and waits for an answer that will not come
        }

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    private ServiceProvider Client(Uri address)
    {
        var services = new ServiceCollection();
        services.AddAccountantClient(address, Service.AdminKey);
        return services.BuildServiceProvider();
    }

    private static async Task<TaskResponse> NewTaskAsync(AccountantClient client, string name, long steps = 100, double epsilon = 3)
    {
        await client.CreateCohortAsync(new CreateCohortRequest(name, UnitKind.Example, [.. Enumerable.Range(0, 10).Select(i => $"{name}-{i}")]));
        return await client.CreateTaskAsync(new CreateTaskRequest(
            name, UnitKind.Example, NeighbouringRelation.AddOrRemoveOne, new TrainingPlan(steps, SamplingScheme.Poisson, 0.5),
            new EpsilonDeltaTarget(epsilon, 1e-5), 1.0, Id: $"{name}-task"));
    }
}
