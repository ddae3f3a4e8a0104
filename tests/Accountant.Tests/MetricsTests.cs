using System.Net;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Tests.Infrastructure;

namespace Accounting.Accountant.Tests;

/// <summary>/metrics is Prometheus text, and its counters move by exactly what was done.</summary>
public class MetricsTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private const string ChargeRoute = "method=\"POST\",route=\"/v1/tasks/{id}/charges\"";

    [Fact]
    public async Task Metrics_parse_as_prometheus_text_and_count_exactly_the_charges_exclusions_and_refusals_made()
    {
        using var api = fixture.NewApi();
        var before = await ScrapeAsync(api);

        // Three members can afford nothing: the first charge excludes them. The quota fits the three planned steps.
        var units = Builders.UnitIds("metered", 20);
        await api.CohortAsync("metered", units);
        foreach (var poor in units.Take(3))
        {
            await api.PutAsync<UnitResponse>($"v1/units/{poor}/budget", new UnitBudgetRequest(0.01, 1e-6, null));
        }
        var task = await api.DpSgdTaskAsync("metered-task", "metered", steps: 3, samplingRate: 0.5, epsilon: 1);
        long granted = 0, excluded = 0;
        for (var step = 0; step < 3; step++)
        {
            var charge = await api.ChargeAsync(task.Id, step);
            granted++;
            excluded += charge.NewlyExcluded;
        }
        await api.ChargeAsync(task.Id, 2); // a replay: no new charge
        Assert.Equal("urn:accounting:problem:quota-exhausted", (await Refused(api, task.Id, 3)).Type); // the quota refuses step 3 …
        Assert.Equal("urn:accounting:problem:task-closed", (await Refused(api, task.Id, 3)).Type); // … and the exhausted task takes no more

        var after = await ScrapeAsync(api);
        Assert.Equal((3, 3), (granted, excluded));
        Assert.Equal(granted, Moved("accounting_charges_total"));
        Assert.Equal(excluded, Moved("accounting_excluded_units_total"));
        Assert.Equal(1, Moved("accounting_charge_refusals_total", "reason=\"quota\""));
        Assert.Equal(1, Moved("accounting_charge_refusals_total", "reason=\"closed\""));
        Assert.Equal(6, Moved("accounting_charge_duration_seconds_count")); // every charge that reached the store
        Assert.Equal(4, Moved("accounting_http_request_duration_seconds_count", $"{ChargeRoute},status_class=\"2xx\""));
        Assert.Equal(2, Moved("accounting_http_request_duration_seconds_count", $"{ChargeRoute},status_class=\"4xx\""));

        double Moved(string name, string labels = "") => after.Value(name, labels) - before.Value(name, labels);
    }

    [Fact]
    public async Task Metrics_are_served_as_text_format_0_0_4()
    {
        using var api = fixture.NewApi();
        using var response = await api.Client.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(response.Content.Headers.ContentType.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
    }

    private static async Task<PrometheusExposition> ScrapeAsync(Api api) => PrometheusExposition.Parse(await api.Client.GetStringAsync("metrics"));

    private static async Task<ApiProblemException> Refused(Api api, string task, long step) =>
        await Assert.ThrowsAsync<ApiProblemException>(() => api.ChargeAsync(task, step));
}
