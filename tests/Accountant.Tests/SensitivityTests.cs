using Accounting.Accountant.Domain;
using System.Security.Cryptography;
using System.Text.Json;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Accountant.Tests;

public class SensitivityTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task A_unit_with_lower_sensitivity_pays_the_event_at_proportionally_more_noise()
    {
        using var api = fixture.NewApi();
        var units = Builders.UnitIds("sens", 10);
        await api.CohortAsync("sens", units);
        var task = await api.DpSgdTaskAsync("sens-task", "sens", steps: 50, samplingRate: 0.1, epsilon: 3);
        for (var step = 0; step < 3; step++)
        {
            // 0.42 rounds up to 0.42; 0.004 rounds up to the grid's smallest factor, 0.01.
            await api.ChargeAsync(task.Id, step, [new UnitSensitivity(units[0], 0.42), new UnitSensitivity(units[1], 0.004)]);
        }

        var step1 = new PoissonSampledEvent(0.1, new GaussianEvent(task.NoiseMultiplier));
        double[] Expected(double factor) =>
            RdpAccountant.Curve(new SelfComposedEvent(3, IndividualSensitivity.Scale(step1, factor)), OrderGrids.Filter, NeighbouringRelation.AddOrRemoveOne).Epsilons.ToArray();
        var full = (await api.UnitAsync(units[2])).Spent.Values();
        var lowered = (await api.UnitAsync(units[0])).Spent.Values();
        var tiny = (await api.UnitAsync(units[1])).Spent.Values();
        AssertClose(Expected(1), full, full);
        AssertClose(Expected(0.42), lowered, full);
        AssertClose(Expected(0.01), tiny, full);
        Assert.All(lowered.Zip(full), p => Assert.True(p.First < p.Second));
    }

    [Fact]
    public async Task Sensitivities_name_members_only_and_factors_in_zero_one()
    {
        using var api = fixture.NewApi();
        await api.CohortAsync("sens-check", Builders.UnitIds("sc", 3));
        var task = await api.DpSgdTaskAsync("sens-check-task", "sens-check", steps: 10, samplingRate: 0.1, epsilon: 3);
        var stranger = await Assert.ThrowsAsync<ApiProblemException>(() => api.ChargeAsync(task.Id, 0, [new UnitSensitivity("nobody", 0.5)]));
        Assert.Equal(["sensitivities"], stranger.Fields);
        var outOfRange = await Assert.ThrowsAsync<ApiProblemException>(() => api.ChargeAsync(task.Id, 0, [new UnitSensitivity("sc-00000", 1.5)]));
        Assert.Equal(["sensitivities[0].sensitivity"], outOfRange.Fields);
        Assert.Equal(0, (await api.TaskAsync(task.Id)).NextStep); // nothing was charged
    }

    [Fact]
    public async Task A_charge_keeps_the_ledger_list_earlier_versions_wrote_and_answers_retries_of_charges_they_stored()
    {
        // Auditors read the list, and stored request hashes answer retries across an upgrade: neither may drift.
        using var api = fixture.NewApi();
        // The last id is as long as ids go, and longer in UTF-8 than the request's buffers start out.
        string[] units = ["sens-fmt \"quoted\" é", "sens-fmt <b>&</b>", "sens-fmt plain", "sens-fmt " + new string('€', Ids.MaxLength - 9)];
        await api.CohortAsync("sens-fmt", units);
        var task = await api.DpSgdTaskAsync("sens-fmt-task", "sens-fmt", steps: 10, samplingRate: 0.1, epsilon: 3);
        UnitSensitivity[] sent = [new(units[0], 0.42), new(units[1], 0.004), new(units[2], 0.5551), new(units[3], 0.25)];
        PrivacyEvent own = new PoissonSampledEvent(0.1, new GaussianEvent(4.25));
        await api.ChargeAsync(task.Id, 0);
        (string Key, ChargeRequest Request)[] charges = [("sens-fmt-1", new(Sensitivities: sent)), ("sens-fmt-2", new(Event: own, Sensitivities: sent))];
        var answers = new List<string>();
        foreach (var (key, request) in charges)
        {
            var answer = await api.RawAsync(HttpMethod.Post, $"v1/tasks/{task.Id}/charges", JsonSerializer.Serialize(request, EventJson.Options), key);
            Assert.Equal(System.Net.HttpStatusCode.OK, answer.Status);
            answers.Add(answer.Body.GetRawText());
        }

        // Step 1's row as earlier versions stored it: the hash of the request as serialised with the step it resolved to.
        using (var connection = ServiceDatabase.Open(fixture.Service, writable: true))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE charges SET request_hash = @hash WHERE task_id = '{task.Id}' AND step = 1";
            var hash = command.CreateParameter();
            hash.ParameterName = "@hash";
            hash.Value = SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new ChargeRequest(1, null, sent), EventJson.Options));
            command.Parameters.Add(hash);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        // A retry is answered as at first, whichever version stored the charge; a request that differs only in its last
        // entry's sensitivity (by one ulp) or in its last id's last character is refused.
        UnitSensitivity[] nudged = [.. sent[..3], new(units[3], Math.BitIncrement(0.25))];
        UnitSensitivity[] renamed = [.. sent[..3], new(units[3][..^1] + "₹", 0.25)]; // as long in UTF-8
        foreach (var ((key, request), first) in charges.Zip(answers))
        {
            var retry = await api.RawAsync(HttpMethod.Post, $"v1/tasks/{task.Id}/charges", JsonSerializer.Serialize(request, EventJson.Options), key);
            Assert.Equal(first, retry.Body.GetRawText());
            Assert.Equal("true", retry.Response.Headers.GetValues("Idempotent-Replayed").Single());
            foreach (var changed in new[] { request with { Sensitivities = nudged }, request with { Sensitivities = renamed } })
            {
                var refused = await api.RawAsync(HttpMethod.Post, $"v1/tasks/{task.Id}/charges", JsonSerializer.Serialize(changed, EventJson.Options), key);
                Assert.Equal(System.Net.HttpStatusCode.Conflict, refused.Status);
            }
        }
        Assert.Equal(3, (await api.TaskAsync(task.Id)).NextStep);

        var expectedList = JsonSerializer.Serialize(
            new[]
            {
                new { unit = units[0], sensitivity = 0.42 }, new { unit = units[1], sensitivity = 0.01 }, new { unit = units[2], sensitivity = 0.56 },
                new { unit = units[3], sensitivity = 0.25 },
            },
            EventJson.Options);
        using var export = await ExportFile.DownloadAsync(api.Client, $"?task={task.Id}");
        var charge = export.Lines().Select(l => JsonDocument.Parse(l).RootElement)
            .Single(e => e.GetProperty("kind").GetString() == "charge" && e.GetProperty("payload").GetProperty("step").GetInt64() == 1);
        Assert.Equal(expectedList, charge.GetProperty("payload").GetProperty("sensitivities").GetRawText());
    }

    // A unit's curve is stored as its group's curve plus its own (negative) difference, so it is exact to a few ulps
    // of the group's curve, not of its own: 1e-14 of the full cost per order.
    private static void AssertClose(double[] expected, double[] actual, double[] full)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.InRange(actual[i], expected[i] - 1e-14 * full[i], expected[i] + 1e-14 * full[i]);
        }
    }
}
