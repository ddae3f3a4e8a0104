using System.Net;
using Accounting.Accountant.Contracts;
using Accounting.TestSupport;
using Accounting.TrainerAdapters.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Accounting.TrainerAdapters.Tests.Client;

/// <summary>The client sends its API key on every call, and manages keys for admins.</summary>
public sealed class AccountantClientKeyTests : IAsyncLifetime
{
    private ServiceProcess? _service;

    private ServiceProcess Service => _service!;

    public async Task InitializeAsync() => _service = await ServiceProcess.StartAsync();

    public async Task DisposeAsync() => await Service.DisposeAsync();

    [Fact]
    public async Task A_trainer_key_created_through_the_client_works_until_revoked()
    {
        using var adminProvider = Provider(Service.AdminKey);
        var admin = adminProvider.GetRequiredService<AccountantClient>();
        var created = await admin.CreateKeyAsync(new CreateKeyRequest("client trainer", KeyRole.Trainer));
        Assert.Contains(await admin.ListKeysAsync(), k => k.Id == created.Id && k.Role == KeyRole.Trainer && k.RevokedAt is null);

        using var trainerProvider = Provider(created.Key);
        var trainer = trainerProvider.GetRequiredService<AccountantClient>();
        Assert.Equal(2, (await trainer.CreateCohortAsync(new CreateCohortRequest("keyed", UnitKind.Example, ["keyed-1", "keyed-2"]))).Members);
        var forbidden = await Assert.ThrowsAsync<AccountantProblemException>(() => trainer.GetUnitAsync("keyed-1"));
        Assert.Equal((HttpStatusCode.Forbidden, "urn:accounting:problem:forbidden"), (forbidden.Status, forbidden.Type));

        await admin.RevokeKeyAsync(created.Id);
        var revoked = await Assert.ThrowsAsync<AccountantProblemException>(() => trainer.GetCohortAsync("keyed"));
        Assert.Equal((HttpStatusCode.Unauthorized, "urn:accounting:problem:unauthenticated"), (revoked.Status, revoked.Type));
    }

    [Fact]
    public async Task A_client_without_a_key_is_refused_with_401()
    {
        using var provider = Provider(null);
        var anonymous = provider.GetRequiredService<AccountantClient>();
        var refused = await Assert.ThrowsAsync<AccountantProblemException>(() => anonymous.GetCohortAsync("any"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }

    private ServiceProvider Provider(string? key)
    {
        var services = new ServiceCollection();
        services.AddAccountantClient(Service.BaseAddress, key);
        return services.BuildServiceProvider();
    }
}
