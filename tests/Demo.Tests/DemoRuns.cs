using Accounting.Demo.Experiments;
using Accounting.TestSupport;
using Accounting.TrainerAdapters.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Accounting.Demo.Tests;

/// <summary>
/// Both demo experiments with their shipped settings, run once against the real service in its own process; the
/// tests read their results, what they printed, and the service's ledger.
/// </summary>
public sealed class DemoRuns : IAsyncLifetime
{
    private ServiceProcess? _service;
    private ServiceProvider? _provider;

    internal ExperimentResult DpSgd { get; private set; } = null!;

    internal ExperimentResult Federated { get; private set; } = null!;

    internal string DpSgdOutput { get; private set; } = "";

    internal string FederatedOutput { get; private set; } = "";

    internal AccountantClient Client => _provider!.GetRequiredService<AccountantClient>();

    public async Task InitializeAsync()
    {
        _service = await ServiceProcess.StartAsync();
        var services = new ServiceCollection();
        services.AddAccountantClient(_service.BaseAddress);
        _provider = services.BuildServiceProvider();
        using var dpSgdLog = new StringWriter();
        DpSgd = await DpSgdExperiment.RunAsync(Client, "test", new DpSgdExperiment.Settings(), dpSgdLog);
        DpSgdOutput = dpSgdLog.ToString();
        using var federatedLog = new StringWriter();
        Federated = await FederatedExperiment.RunAsync(Client, "test", new FederatedExperiment.Settings(), federatedLog);
        FederatedOutput = federatedLog.ToString();
    }

    public async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }
}
