using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Events;

namespace Accounting.Accountant.Tests.Infrastructure;

/// <summary>Test data: unit ids, cohorts and tasks with sensible defaults.</summary>
public static class Builders
{
    /// <summary>Ids <c>{prefix}-00000</c> … for <paramref name="count"/> units (seven digits past 99,999).</summary>
    public static string[] UnitIds(string prefix, int count, int start = 0) =>
        [.. Enumerable.Range(start, count).Select(i => start + count > 100_000 ? $"{prefix}-{i:D7}" : $"{prefix}-{i:D5}")];

    /// <summary>Creates a cohort of examples with these members.</summary>
    public static Task<CohortResponse> CohortAsync(this Api api, string id, IReadOnlyList<string> members, UnitKind kind = UnitKind.Example) =>
        api.PostAsync<CohortResponse>("v1/cohorts", new CreateCohortRequest(id, kind, members));

    /// <summary>Creates a Poisson-sampled DP-SGD task on a cohort.</summary>
    public static Task<TaskResponse> DpSgdTaskAsync(
        this Api api, string id, string cohort, long steps, double samplingRate, double epsilon, double delta = 1e-5,
        double clipNorm = 1.0) =>
        api.PostAsync<TaskResponse>("v1/tasks", new CreateTaskRequest(
            cohort, UnitKind.Example, NeighbouringRelation.AddOrRemoveOne,
            new TrainingPlan(steps, SamplingScheme.Poisson, samplingRate), new EpsilonDeltaTarget(epsilon, delta), clipNorm, Id: id));

    /// <summary>Charges a step by index.</summary>
    public static Task<ChargeResponse> ChargeAsync(
        this Api api, string task, long step, IReadOnlyList<UnitSensitivity>? sensitivities = null, PrivacyEvent? privacyEvent = null) =>
        api.PostAsync<ChargeResponse>($"v1/tasks/{Uri.EscapeDataString(task)}/charges", new ChargeRequest(step, privacyEvent, sensitivities));

    /// <summary>Reads a unit.</summary>
    public static Task<UnitResponse> UnitAsync(this Api api, string id) => api.GetAsync<UnitResponse>($"v1/units/{Uri.EscapeDataString(id)}");

    /// <summary>Reads a task.</summary>
    public static Task<TaskResponse> TaskAsync(this Api api, string id) => api.GetAsync<TaskResponse>($"v1/tasks/{Uri.EscapeDataString(id)}");

    /// <summary>A unit's spent curve as numbers (+∞ for nulls).</summary>
    public static double[] Values(this CurveDto curve) => [.. curve.Values.Select(v => v ?? double.PositiveInfinity)];
}
