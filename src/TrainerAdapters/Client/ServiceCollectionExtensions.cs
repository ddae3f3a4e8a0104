using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace Accounting.TrainerAdapters.Client;

/// <summary>Registration of <see cref="AccountantClient"/> with IHttpClientFactory.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the client for the service at <paramref name="baseAddress"/> with the standard resilience pipeline
    /// (retries with backoff on transient failures, timeouts, circuit breaker). Retrying POSTs is safe here: charges are
    /// idempotent by key, and the other writes (registration, membership) skip what exists already.
    /// </summary>
    public static IHttpClientBuilder AddAccountantClient(this IServiceCollection services, Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        var builder = services.AddHttpClient<AccountantClient>(http => http.BaseAddress = baseAddress);
        builder.AddStandardResilienceHandler(options =>
        {
            options.Retry.MaxRetryAttempts = 5;
            options.Retry.Delay = TimeSpan.FromMilliseconds(100);
            options.Retry.UseJitter = true;
        });
        return builder;
    }
}
