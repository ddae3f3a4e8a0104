using Accounting.TestSupport;
namespace Accounting.Accountant.Tests.Infrastructure;

/// <summary>One running service for a test class; tests keep apart by using their own cohort and task ids.</summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    private ServiceProcess? _service;

    /// <summary>The running service.</summary>
    public ServiceProcess Service => _service ?? throw new InvalidOperationException("not started");

    /// <summary>A client for the service.</summary>
    public Api NewApi() => new(Service.CreateClient());

    /// <inheritdoc />
    public async Task InitializeAsync() => _service = await ServiceProcess.StartAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync().ConfigureAwait(false);
        }
    }
}
