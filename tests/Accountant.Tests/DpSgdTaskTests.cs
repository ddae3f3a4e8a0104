using System.Net;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Conversion;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Accountant.Tests;

public class DpSgdTaskTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private static readonly TrainingPlan Plan = new(200, SamplingScheme.Poisson, 0.02);
    private static readonly EpsilonDeltaTarget Target = new(1.5, 1e-5);

    [Fact]
    public async Task A_dp_sgd_task_runs_to_exhaustion_spending_what_the_mechanisms_compute()
    {
        using var api = fixture.NewApi();
        await api.CohortAsync("dpsgd", Builders.UnitIds("dpsgd", 500));
        var task = await api.DpSgdTaskAsync("dpsgd-task", "dpsgd", Plan.Steps, Plan.SamplingRate, Target.Epsilon, Target.Delta);

        // The library's σ for the plan, to its 1e-9 precision (the task also allows 1e-12 of ε for step-by-step rounding).
        var calibrated = NoiseCalibration.SmallestNoiseMultiplier(Plan, Target, OrderGrids.DpAccounting, NeighbouringRelation.AddOrRemoveOne);
        Assert.InRange(task.NoiseMultiplier, calibrated.NoiseMultiplier * (1 - 2e-9), calibrated.NoiseMultiplier * (1 + 2e-9));
        Assert.True(task.PlannedEpsilon <= Target.Epsilon);
        Assert.Equal(TaskState.Planned, task.State);

        long steps = 0;
        ApiProblemException? refusal = null;
        while (refusal is null)
        {
            try
            {
                var charge = await api.ChargeAsync(task.Id, steps);
                steps++;
                // The task's ε after k steps is the library's ε of k composed steps (rounding of k additions vs one
                // product differs by a few ulps).
                var expected = RdpConversion.Epsilon(
                    RdpAccountant.Curve(Plan.RunEvent(task.NoiseMultiplier, steps), OrderGrids.DpAccounting, NeighbouringRelation.AddOrRemoveOne),
                    Target.Delta).Epsilon;
                Assert.InRange(charge.TaskSpent.Epsilon!.Value, expected * (1 - 1e-12), expected * (1 + 1e-12));
                Assert.Empty(charge.ExcludedUnits);
                Assert.Equal(500, charge.ParticipatingUnits);
                Assert.Equal(task.NoiseMultiplier, charge.NoiseMultiplier);
                Assert.Equal(task.NoiseMultiplier * 1.0, charge.NoiseStandardDeviation);
            }
            catch (ApiProblemException problem)
            {
                refusal = problem;
            }
        }

        Assert.Equal(HttpStatusCode.Conflict, refusal.Status);
        Assert.Equal("urn:accounting:problem:quota-exhausted", refusal.Type);
        Assert.Equal(StepCalibration.LargestSteps(Plan, task.NoiseMultiplier, Target, OrderGrids.DpAccounting, NeighbouringRelation.AddOrRemoveOne), steps);
        Assert.True(steps >= Plan.Steps, "the calibrated plan fits its quota");
        var final = await api.TaskAsync(task.Id);
        Assert.Equal(TaskState.Exhausted, final.State);
        Assert.Equal(steps, final.NextStep);
        Assert.True(final.Spent.Epsilon <= Target.Epsilon);
        var closed = await Assert.ThrowsAsync<ApiProblemException>(() => api.ChargeAsync(task.Id, steps));
        Assert.Equal("urn:accounting:problem:task-closed", closed.Type);
    }
}
