using System.Net;
using System.Text.Json;
using Accounting.TestSupport;

namespace Accounting.Accountant.Postgres.Tests;

/// <summary>/healthz tells an operator whether the database answers.</summary>
public class HealthTests
{
    [Fact]
    public async Task Healthz_answers_503_with_a_problem_once_the_database_is_gone()
    {
        await using var service = await ServiceProcess.StartAsync();
        using var anonymous = service.CreateClient(apiKey: null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("healthz")).StatusCode);

        await (await PostgresServer.GetAsync()).DropDatabaseAsync(service.PostgresConnectionString!);

        using var answer = await anonymous.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("database unreachable", problem.GetProperty("title").GetString());
    }
}
