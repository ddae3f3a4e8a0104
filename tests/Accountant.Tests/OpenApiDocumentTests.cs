using System.Text.Json.Nodes;
using Accounting.Accountant.Tests.Infrastructure;

namespace Accounting.Accountant.Tests;

public class OpenApiDocumentTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    // Regenerate with: UPDATE_OPENAPI=1 dotnet test --filter OpenApiDocumentTests
    [Fact]
    public async Task The_checked_in_openapi_document_is_what_the_service_serves()
    {
        using var api = fixture.NewApi();
        var served = await api.Client.GetStringAsync("swagger/v1/swagger.json");
        var path = Path.Combine(RepositoryRoot(), "openapi", "accountant.v1.json");
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, JsonNode.Parse(served)!.ToJsonString(new() { WriteIndented = true }) + "\n");
        }
        var checkedIn = JsonNode.Parse(await File.ReadAllTextAsync(path));
        Assert.True(JsonNode.DeepEquals(checkedIn, JsonNode.Parse(served)),
            "openapi/accountant.v1.json differs from the served document; regenerate it with UPDATE_OPENAPI=1");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Accounting.sln")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException("Accounting.sln not found above the test assembly");
    }
}
