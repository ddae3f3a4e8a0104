using Accounting.Accountant.Contracts;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.TestSupport;

namespace Accounting.Accountant.Tests;

/// <summary>Ids reach every resource: namespaced ones (with '/') in URL paths, and any text in bulk lists.</summary>
public class IdTests
{
    // Lists of ids go to the database as one JSON array: ids that JSON escapes (quotes, backslashes, non-ASCII, emoji)
    // must be found again exactly, when registered twice, joined to a cohort and charged one by one.
    [Fact]
    public async Task Ids_that_json_escapes_are_found_again_in_bulk_lists()
    {
        await using var service = await ServiceProcess.StartAsync();
        using var api = new Api(service.CreateClient());
        string[] units = ["quote\"d", "back\\slash", "café", "emoji-😀", "<tag> & 'apostrophe'", "日本語", "[\"json\"]"];

        var first = await api.PostAsync<RegisterUnitsResponse>("v1/units", new RegisterUnitsRequest([.. units, units[0]]));
        Assert.Equal((units.Length, 0), (first.Registered, first.AlreadyKnown));
        var again = await api.PostAsync<RegisterUnitsResponse>("v1/units", new RegisterUnitsRequest([.. units, "plain"]));
        Assert.Equal((1, units.Length), (again.Registered, again.AlreadyKnown));

        await api.CohortAsync("escaped", [.. units, "plain"]);
        var task = await api.DpSgdTaskAsync("escaped-task", "escaped", steps: 10, samplingRate: 0.1, epsilon: 3);
        await api.ChargeAsync(task.Id, 0, [.. units.Select(u => new UnitSensitivity(u, 0.5))]);
        var full = (await api.UnitAsync("plain")).Spent.Values();
        foreach (var unit in units)
        {
            var spent = (await api.UnitAsync(unit)).Spent.Values();
            Assert.True(spent.Zip(full).All(p => p.First < p.Second), $"'{unit}' did not pay at its own sensitivity");
        }
    }

    [Fact]
    public async Task Ids_with_slashes_work_in_every_path()
    {
        await using var service = await ServiceProcess.StartAsync();
        using var api = new Api(service.CreateClient());
        var units = Builders.UnitIds("mnist/train/example", 20);
        await api.CohortAsync("mnist/train", units);
        var task = await api.DpSgdTaskAsync("mnist/run/1", "mnist/train", steps: 10, samplingRate: 0.1, epsilon: 2);

        Assert.Equal("mnist/train", (await api.GetAsync<CohortResponse>("v1/cohorts/mnist%2Ftrain")).Id);
        Assert.Equal(1, (await api.ChargeAsync("mnist/run/1", 0)).NextStep);
        Assert.Equal(1, (await api.TaskAsync(task.Id)).NextStep);
        Assert.Equal(units[3], (await api.UnitAsync(units[3])).Id);
        Assert.Contains("mnist/run/1", (await api.UnitAsync(units[3])).Tasks.Select(t => t.TaskId));
        Assert.Empty((await api.GetAsync<ExclusionsResponse>("v1/tasks/mnist%2frun%2F1/exclusions")).Units);
        var added = await api.PostAsync<AddMembersResponse>("v1/cohorts/mnist%2Ftrain/members", new AddMembersRequest(["mnist/train/late"]));
        Assert.Equal(21, added.Members);
    }
}
