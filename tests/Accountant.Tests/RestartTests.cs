using Accounting.TestSupport;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Accounting.Accountant.Tests.Infrastructure;

namespace Accounting.Accountant.Tests;

public class RestartTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_restarted_service_resumes_the_task_at_the_next_step_with_nothing_lost(bool killed)
    {
        await using var service = await ServiceProcess.StartAsync();
        var answers = new List<ChargeResponse>();
        using (var api = new Api(service.CreateClient()))
        {
            await api.CohortAsync("restart", Builders.UnitIds("r", 50));
            var task = await api.DpSgdTaskAsync("restart-task", "restart", steps: 100, samplingRate: 0.05, epsilon: 4);
            for (var step = 0; step < 10; step++)
            {
                answers.Add(await api.ChargeAsync(task.Id, step, [new UnitSensitivity("r-00007", 0.3)]));
            }
        }
        if (killed)
        {
            service.Kill();
        }
        else
        {
            await service.StopAsync();
        }
        await service.StartAgainAsync();

        using var again = new Api(service.CreateClient());
        var resumed = await again.TaskAsync("restart-task");
        Assert.Equal(10, resumed.NextStep);
        Assert.Equal(TaskState.Running, resumed.State);
        Assert.Equal(answers[^1].TaskSpent, new TaskSpendSummary(resumed.Spent.Epsilon, resumed.Spent.Delta, resumed.Spent.Rho));
        // Every acknowledged answer is replayed as it was, and the next step follows on.
        var replay = await again.ChargeAsync("restart-task", 9, [new UnitSensitivity("r-00007", 0.3)]);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(answers[9], Api.Json), System.Text.Json.JsonSerializer.Serialize(replay, Api.Json));
        var next = await again.ChargeAsync("restart-task", 10);
        Assert.Equal(11, next.NextStep);
        Assert.True(next.TaskSpent.Epsilon > answers[^1].TaskSpent.Epsilon);
    }
}
