using System.Net;
using Accounting.Accountant.Tests.Infrastructure;

namespace Accounting.Accountant.Tests;

public class IdempotencyTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task A_retry_with_the_same_key_and_body_returns_the_first_answer_without_charging_again()
    {
        using var api = fixture.NewApi();
        await api.CohortAsync("idem-key", Builders.UnitIds("ik", 5));
        var task = await api.DpSgdTaskAsync("idem-key-task", "idem-key", steps: 10, samplingRate: 0.1, epsilon: 3);
        var first = await api.RawAsync(HttpMethod.Post, $"v1/tasks/{task.Id}/charges", "{}", idempotencyKey: "k-1");
        var retry = await api.RawAsync(HttpMethod.Post, $"v1/tasks/{task.Id}/charges", "{}", idempotencyKey: "k-1");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, retry.Status);
        Assert.Equal(first.Body.GetRawText(), retry.Body.GetRawText());
        Assert.Equal("true", retry.Response.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1, (await api.TaskAsync(task.Id)).NextStep);

        var conflict = await api.RawAsync(HttpMethod.Post, $"v1/tasks/{task.Id}/charges",
            """{"sensitivities": [{"unit": "ik-00000", "sensitivity": 0.5}]}""", idempotencyKey: "k-1");
        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Equal("urn:accounting:problem:idempotency-conflict", conflict.Body.GetProperty("type").GetString());
        // The same step by index, same body: the same answer.
        var byStep = await api.RawAsync(HttpMethod.Post, $"v1/tasks/{task.Id}/charges", """{"step": 0}""");
        Assert.Equal(first.Body.GetRawText(), byStep.Body.GetRawText());
        Assert.Equal(1, (await api.TaskAsync(task.Id)).NextStep);
    }

    [Fact]
    public async Task Steps_are_charged_in_order_and_a_changed_replay_is_refused()
    {
        using var api = fixture.NewApi();
        await api.CohortAsync("idem-step", Builders.UnitIds("is", 5));
        var task = await api.DpSgdTaskAsync("idem-step-task", "idem-step", steps: 10, samplingRate: 0.1, epsilon: 3);
        var ahead = await api.RawAsync(HttpMethod.Post, $"v1/tasks/{task.Id}/charges", """{"step": 1}""");
        Assert.Equal(HttpStatusCode.Conflict, ahead.Status);
        Assert.Equal("urn:accounting:problem:step-conflict", ahead.Body.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.RawAsync(HttpMethod.Post, $"v1/tasks/{task.Id}/charges", """{"step": 0}""")).Status);
        var changed = await api.RawAsync(HttpMethod.Post, $"v1/tasks/{task.Id}/charges",
            """{"step": 0, "event": {"type": "gaussian", "noiseMultiplier": 50}}""");
        Assert.Equal(HttpStatusCode.Conflict, changed.Status);
        Assert.True(changed.Body.GetProperty("errors").TryGetProperty("step", out _));
        var neither = await api.RawAsync(HttpMethod.Post, $"v1/tasks/{task.Id}/charges", "{}");
        Assert.Equal(HttpStatusCode.BadRequest, neither.Status);
        Assert.True(neither.Body.GetProperty("errors").TryGetProperty("step", out _));
    }
}
