using System.Net;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Events;
using Accounting.TestSupport;

namespace Accounting.Accountant.Tests;

/// <summary>
/// A plan that samples m of n without replacement is charged as m/n per unit; a cohort of another size would make
/// each unit join batches more (or less) often than accounted.
/// </summary>
public class SamplingPopulationTests
{
    [Fact]
    public async Task A_without_replacement_plan_must_sample_from_exactly_its_cohort()
    {
        // Sampling without replacement is accounted under replace-one neighbours, so the budgets must protect those.
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string> { ["Accountant__DefaultBudget__Relation"] = "ReplaceOne" });
        using var api = new Api(service.CreateClient());
        await api.CohortAsync("wor", Builders.UnitIds("wor", 10));

        var mismatched = await Assert.ThrowsAsync<ApiProblemException>(() => CreateAsync(api, "wor-1000", datasetSize: 1000));
        Assert.Equal(HttpStatusCode.Conflict, mismatched.Status);
        Assert.Contains("plan.datasetSize", mismatched.Fields);

        var task = await CreateAsync(api, "wor-10", datasetSize: 10);
        Assert.Equal(1, (await api.ChargeAsync(task.Id, 0)).NextStep);

        // The cohort grows under the running task: its plan's steps no longer describe the sampling.
        await api.PostAsync<AddMembersResponse>("v1/cohorts/wor/members", new AddMembersRequest(["wor-late"]));
        var grown = await Assert.ThrowsAsync<ApiProblemException>(() => api.ChargeAsync(task.Id, 1));
        Assert.Equal(HttpStatusCode.Conflict, grown.Status);
        Assert.Contains("plan.datasetSize", grown.Fields);
        Assert.Equal(1, (await api.TaskAsync(task.Id)).NextStep);
    }

    private static Task<TaskResponse> CreateAsync(Api api, string id, long datasetSize) =>
        api.PostAsync<TaskResponse>("v1/tasks", new CreateTaskRequest(
            "wor", UnitKind.Example, NeighbouringRelation.ReplaceOne,
            new TrainingPlan(20, SamplingScheme.WithoutReplacement, DatasetSize: datasetSize, BatchSize: 5),
            new EpsilonDeltaTarget(4, 1e-5), 1.0, Id: id));
}
