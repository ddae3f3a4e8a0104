using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace Accounting.TrainerAdapters.Client;

/// <summary>Registration of <see cref="AccountantClient"/> with IHttpClientFactory.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the client for the service at <paramref name="baseAddress"/>, sending <paramref name="apiKey"/> as
    /// <c>Authorization: Bearer</c> on every call (null only for a service with authentication off), with the standard
    /// resilience pipeline (retries with backoff on transient failures, timeouts, circuit breaker). Retrying POSTs is
    /// safe here: charges are idempotent by key, and the other writes (registration, membership) skip what exists
    /// already. 401 and 403 are not transient, and are not retried.
    /// </summary>
    public static IHttpClientBuilder AddAccountantClient(this IServiceCollection services, Uri baseAddress, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        if (apiKey is not null && string.IsNullOrWhiteSpace(apiKey))
        {
            throw new ArgumentException("An API key must not be blank; pass null for a service with authentication off.", nameof(apiKey));
        }
        var builder = services.AddHttpClient<AccountantClient>(http =>
        {
            http.BaseAddress = baseAddress;
            if (apiKey is not null)
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey.Trim());
            }
        });
        builder.AddStandardResilienceHandler(options =>
        {
            options.Retry.MaxRetryAttempts = 5;
            options.Retry.Delay = TimeSpan.FromMilliseconds(100);
            options.Retry.UseJitter = true;
        });
        return builder;
    }
}
