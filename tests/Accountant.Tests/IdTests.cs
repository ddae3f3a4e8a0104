using Accounting.Accountant.Contracts;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.TestSupport;

namespace Accounting.Accountant.Tests;

/// <summary>Namespaced ids (with '/') reach every resource when their slashes are escaped in the URL path.</summary>
public class IdTests
{
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
