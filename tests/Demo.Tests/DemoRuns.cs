using Accounting.Demo.Experiments;
using Accounting.TestSupport;
using Accounting.TrainerAdapters.Client;

namespace Accounting.Demo.Tests;

/// <summary>
/// Both demo experiments with their shipped settings, run once against the real service in its own process; the
/// tests read their results, what they printed, and the service's ledger.
/// </summary>
public sealed class DemoRuns : IAsyncLifetime
{
    private ServiceProcess? _service;
    private DemoClients? _accountant;

    internal ExperimentResult DpSgd { get; private set; } = null!;

    internal ExperimentResult Federated { get; private set; } = null!;

    internal string DpSgdOutput { get; private set; } = "";

    internal string FederatedOutput { get; private set; } = "";

    /// <summary>The admin and the run's trainer, as the demo connects them.</summary>
    internal DemoClients Accountant => _accountant!;

    /// <summary>A client that may read the ledger (the admin's).</summary>
    internal AccountantClient Client => Accountant.Admin;

    public async Task InitializeAsync()
    {
        _service = await ServiceProcess.StartAsync();
        _accountant = await DemoClients.ConnectAsync(_service.BaseAddress, _service.AdminKey, "test-trainer", CancellationToken.None);
        using var dpSgdLog = new StringWriter();
        DpSgd = await DpSgdExperiment.RunAsync(Accountant, "test", new DpSgdExperiment.Settings(), dpSgdLog);
        DpSgdOutput = dpSgdLog.ToString();
        using var federatedLog = new StringWriter();
        Federated = await FederatedExperiment.RunAsync(Accountant, "test", new FederatedExperiment.Settings(), federatedLog);
        FederatedOutput = federatedLog.ToString();
    }

    public async Task DisposeAsync()
    {
        if (_accountant is not null)
        {
            await _accountant.DisposeAsync();
        }
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }
}
