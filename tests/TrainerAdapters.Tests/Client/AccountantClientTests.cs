using System.Net;
using Accounting.Accountant.Contracts;
using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Events;
using Accounting.TestSupport;
using Accounting.TrainerAdapters.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Accounting.TrainerAdapters.Tests.Client;

/// <summary>The typed client against the real service; the only stand-in is a handler that drops connections.</summary>
public sealed class AccountantClientTests : IAsyncLifetime
{
    private ServiceProcess? _service;

    private ServiceProcess Service => _service!;

    public async Task InitializeAsync() => _service = await ServiceProcess.StartAsync();

    public async Task DisposeAsync() => await Service.DisposeAsync();

    [Fact]
    public async Task A_charge_retried_after_a_dropped_connection_is_replayed_not_charged_twice()
    {
        var dropper = new DropResponses(count: 2, pathPart: "/charges");
        using var provider = Client(dropper);
        var client = provider.GetRequiredService<AccountantClient>();
        var task = await NewTaskAsync(client, "dropped");

        // The service charges step 0 and its answer is lost twice on the way back; the client retries with the same key.
        var charge = await client.ChargeAsync(task.Id, 0);

        Assert.Equal(3, dropper.Calls);
        Assert.Equal(1, charge.NextStep);
        Assert.Equal(1, (await client.GetTaskAsync(task.Id)).NextStep);
        var charges = 0;
        await foreach (var line in client.LedgerAsync(task.Id))
        {
            charges += line.Contains("\"kind\":\"charge\"", StringComparison.Ordinal) ? 1 : 0;
        }
        Assert.Equal(1, charges);
    }

    [Fact]
    public async Task Problems_come_back_as_typed_exceptions_naming_their_fields()
    {
        using var provider = Client(null);
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
    public async Task A_cancelled_call_stops_with_OperationCanceledException()
    {
        using var provider = Client(null);
        var client = provider.GetRequiredService<AccountantClient>();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetCohortAsync("any", cancelled.Token));
    }

    private ServiceProvider Client(DelegatingHandler? fault)
    {
        var services = new ServiceCollection();
        var builder = services.AddAccountantClient(Service.BaseAddress, Service.AdminKey);
        if (fault is not null)
        {
            builder.AddHttpMessageHandler(() => fault); // inside the resilience pipeline, next to the socket
        }
        return services.BuildServiceProvider();
    }

    private static async Task<TaskResponse> NewTaskAsync(AccountantClient client, string name, long steps = 100, double epsilon = 3)
    {
        await client.CreateCohortAsync(new CreateCohortRequest(name, UnitKind.Example, [.. Enumerable.Range(0, 10).Select(i => $"{name}-{i}")]));
        return await client.CreateTaskAsync(new CreateTaskRequest(
            name, UnitKind.Example, NeighbouringRelation.AddOrRemoveOne, new TrainingPlan(steps, SamplingScheme.Poisson, 0.5),
            new EpsilonDeltaTarget(epsilon, 1e-5), 1.0, Id: $"{name}-task"));
    }

    /// <summary>Lets the first <c>count</c> matching requests reach the service, then drops their answers.</summary>
    private sealed class DropResponses(int count, string pathPart) : DelegatingHandler
    {
        public int Calls { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (!request.RequestUri!.AbsolutePath.Contains(pathPart, StringComparison.Ordinal))
            {
                return response;
            }
            Calls++;
            if (Calls > count)
            {
                return response;
            }
            response.Dispose();
            throw new HttpRequestException("the connection dropped after the request was sent");
        }
    }
}
