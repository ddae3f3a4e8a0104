using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Accounting.Accountant.Tests.Infrastructure;

/// <summary>The endpoints the service maps, read from the application as built (not started) on a scratch database.</summary>
public static class ServiceEndpoints
{
    /// <summary>Each endpoint as "METHOD /route/{template}".</summary>
    public static async Task<IReadOnlyList<string>> ListAsync()
    {
        var directory = Directory.CreateTempSubdirectory("accounting-endpoints-");
        try
        {
            await using var app = await AccountantHost.BuildAsync([$"--Accountant:Sqlite:Path={Path.Combine(directory.FullName, "accounting.db")}"]);
            return [.. ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
                .SelectMany(endpoint => endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods
                    .Select(method => $"{method} {endpoint.RoutePattern.RawText!.TrimEnd('/')}"))];
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
