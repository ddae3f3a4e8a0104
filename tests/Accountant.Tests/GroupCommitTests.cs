using System.Net;
using System.Text.Json;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.TestSupport;

namespace Accounting.Accountant.Tests;

// Concurrent writes are committed together (one savepoint each in one transaction; a write alone in its commit needs
// none): a write that fails after writing rolls back alone, and every acknowledged write is there afterwards.
public class GroupCommitTests
{
    private const int Writers = 24;

    [Fact]
    public async Task Concurrent_writes_that_fail_after_writing_roll_back_alone_and_the_others_commit()
    {
        await using var service = await ServiceProcess.StartAsync();
        using var api = new Api(service.CreateClient());
        var task = await TaskOnExamplesAsync(api);

        // Each failing request is refused after writing (CohortWithAnExampleAsync); each charge succeeds. They arrive
        // together, so they share commits.
        var results = await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => i % 2 == 0
            ? api.RawAsync(HttpMethod.Post, $"v1/tasks/{task}/charges", "{}", $"key-{i}")
            : CohortWithAnExampleAsync(api, i)));

        Assert.All(results.Where((_, i) => i % 2 == 0), r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.All(results.Where((_, i) => i % 2 == 1), r => Assert.Equal(HttpStatusCode.BadRequest, r.Status));
        Assert.Equal(Writers / 2, (await api.TaskAsync(task)).NextStep);
        foreach (var i in Enumerable.Range(0, Writers).Where(i => i % 2 == 1))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await api.RawAsync(HttpMethod.Get, $"v1/cohorts/users-{i}", null)).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await api.RawAsync(HttpMethod.Get, $"v1/units/fresh-{i}", null)).Status);
        }
        // The hash chain has no gap where the refused writes' entries were rolled back, and the charges add up.
        var totals = await ExportFile.VerifiedTotalsAsync(api.Client);
        Assert.Equal(Writers / 2, totals.Tasks.Single(t => t.Id == task).Charges);
    }

    [Fact]
    public async Task A_write_alone_in_its_commit_that_fails_after_writing_leaves_nothing_and_the_next_write_commits()
    {
        await using var service = await ServiceProcess.StartAsync();
        using var api = new Api(service.CreateClient());
        var task = await TaskOnExamplesAsync(api);

        // One request at a time, so that each is the only write of its commit (which then has no savepoint).
        const int Rounds = 3;
        for (var i = 0; i < Rounds; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await CohortWithAnExampleAsync(api, i)).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await api.RawAsync(HttpMethod.Get, $"v1/cohorts/users-{i}", null)).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await api.RawAsync(HttpMethod.Get, $"v1/units/fresh-{i}", null)).Status);
            Assert.Equal(HttpStatusCode.OK, (await api.RawAsync(HttpMethod.Post, $"v1/tasks/{task}/charges", "{}", $"key-{i}")).Status);
        }
        var totals = await ExportFile.VerifiedTotalsAsync(api.Client);
        Assert.Equal(Rounds, totals.Tasks.Single(t => t.Id == task).Charges);
    }

    // A DP-SGD task on a cohort of 50 examples.
    private static async Task<string> TaskOnExamplesAsync(Api api)
    {
        await api.CohortAsync("examples", Builders.UnitIds("e", 50));
        return (await api.DpSgdTaskAsync("t", "examples", steps: 1000, samplingRate: 0.01, epsilon: 8)).Id;
    }

    // Creates a cohort of users, writing its row and ledger entry, before it meets an example unit and is refused (400).
    private static Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> CohortWithAnExampleAsync(Api api, int i) =>
        api.RawAsync(HttpMethod.Post, "v1/cohorts", $$"""{"id": "users-{{i}}", "unitKind": "user", "members": ["fresh-{{i}}", "e-00000"]}""");
}
