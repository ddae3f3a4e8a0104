using Accounting.Accountant.Contracts;
using Accounting.TrainerAdapters.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Accounting.Demo.Experiments;

/// <summary>
/// The demo's two callers, as a deployment has them: an admin sets the budget policies and creates a trainer key for
/// the run; the trainer, with that key, registers its data, creates its tasks and trains.
/// </summary>
internal sealed class DemoClients : IAsyncDisposable
{
    private readonly ServiceProvider _admin;
    private readonly ServiceProvider _trainer;

    private DemoClients(ServiceProvider admin, ServiceProvider trainer, string trainerKeyId)
    {
        _admin = admin;
        _trainer = trainer;
        TrainerKeyId = trainerKeyId;
    }

    /// <summary>The admin's client.</summary>
    public AccountantClient Admin => _admin.GetRequiredService<AccountantClient>();

    /// <summary>The trainer's client.</summary>
    public AccountantClient Trainer => _trainer.GetRequiredService<AccountantClient>();

    /// <summary>The id of the run's trainer key: the ledger's actor for everything the trainer does.</summary>
    public string TrainerKeyId { get; }

    /// <summary>Connects as admin (null key: a service with authentication off) and creates the run's trainer key.</summary>
    public static async Task<DemoClients> ConnectAsync(Uri address, string? adminKey, string trainerName, CancellationToken cancellationToken)
    {
        var admin = Provider(address, adminKey);
        try
        {
            var trainer = await admin.GetRequiredService<AccountantClient>()
                .CreateKeyAsync(new CreateKeyRequest(trainerName, KeyRole.Trainer), cancellationToken);
            return new DemoClients(admin, Provider(address, trainer.Key), trainer.Id);
        }
        catch
        {
            await admin.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _trainer.DisposeAsync();
        await _admin.DisposeAsync();
    }

    private static ServiceProvider Provider(Uri address, string? key)
    {
        var services = new ServiceCollection();
        services.AddAccountantClient(address, key);
        return services.BuildServiceProvider();
    }
}
