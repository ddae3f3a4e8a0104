using System.Text;
using System.Text.Json;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Storage;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.Accountant.Verification;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Accountant.Tests;

public class SharedLedgerValueTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private static readonly int[] OneTwo = [1, 2];

    [Fact]
    public async Task A_repeated_steps_cost_curve_is_stored_once_and_every_entry_reads_back_whole()
    {
        // Multi-byte characters before the cost in the payload: the stored offset counts UTF-8 bytes, not characters.
        const string cohort = "shared-é-😀";
        const string taskId = "shared-task-ß";
        using var api = fixture.NewApi();
        await api.CohortAsync(cohort, Builders.UnitIds("shared", 20));
        var task = await api.DpSgdTaskAsync(taskId, cohort, steps: 10, samplingRate: 0.05, epsilon: 2);
        for (var step = 0; step < 4; step++)
        {
            await api.ChargeAsync(taskId, step);
        }

        using (var connection = ServiceDatabase.Open(fixture.Service))
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT count(DISTINCT shared_id), count(*), max(length(payload)) FROM ledger WHERE kind = 'charge' AND task_id = @task";
            var parameter = command.CreateParameter();
            (parameter.ParameterName, parameter.Value) = ("task", taskId);
            command.Parameters.Add(parameter);
            using var rows = command.ExecuteReader();
            Assert.True(rows.Read());
            Assert.Equal(1L, Convert.ToInt64(rows[0], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(4L, Convert.ToInt64(rows[1], System.Globalization.CultureInfo.InvariantCulture));
            Assert.InRange(Convert.ToInt64(rows[2], System.Globalization.CultureInfo.InvariantCulture), 1, 600); // without its 156 numbers
        }

        using var export = await ExportFile.DownloadAsync(api.Client, $"?task={Uri.EscapeDataString(taskId)}");
        var charges = export.Lines().Select(line => JsonDocument.Parse(line).RootElement.GetProperty("payload"))
            .Where(p => p.TryGetProperty("step", out _)).ToList();
        Assert.Equal(4, charges.Count);
        // The curve as the mechanisms library computes it for the task's step, independently of what was stored.
        var expected = RdpAccountant.Curve(
            new PoissonSampledEvent(0.05, new GaussianEvent(task.NoiseMultiplier)), OrderGrids.DpAccounting, NeighbouringRelation.AddOrRemoveOne).Epsilons.ToArray();
        foreach (var payload in charges)
        {
            Assert.Equal(cohort, payload.GetProperty("cohort").GetString());
            Assert.Equal(expected, payload.GetProperty("cost").GetProperty("values").EnumerateArray().Select(v => v.GetDouble()));
        }
        using var whole = await ExportFile.DownloadAsync(api.Client);
        Assert.Null(LedgerVerifier.Verify(whole.Path).Chain.Break); // the chain holds over the payloads as read back
    }

    [Theory]
    [InlineData("{\"a\":\"x\",\"cost\":{\"v\":[1,2]},\"b\":1}", 16)]
    [InlineData("{\"a\":\"é😀\",\"cost\":{\"v\":[1,2]},\"b\":{\"v\":[1,2]}}", 21)] // é is 2 bytes, 😀 4 (2 UTF-16 units)
    public void A_payload_is_cut_at_the_values_first_place_in_UTF8_bytes_and_spliced_back_to_the_same_text(string payload, int utf8Offset)
    {
        var shared = SharedJson.Of(new { v = OneTwo }, JsonSerializerOptions.Default);

        var (stored, at) = shared.CutFrom(Encoding.UTF8.GetBytes(payload))!.Value;

        Assert.Equal(utf8Offset, at);
        Assert.Equal("null", Encoding.UTF8.GetString(stored, at, 4));
        Assert.Equal(payload, PayloadCut.Splice(Encoding.UTF8.GetString(stored), at, shared.Text));
    }

    [Fact]
    public void A_payload_without_the_value_is_stored_whole_and_a_stored_one_without_its_placeholder_there_is_refused()
    {
        var shared = SharedJson.Of(OneTwo, JsonSerializerOptions.Default);

        Assert.Null(shared.CutFrom("{\"a\":[1,3]}"u8));
        Assert.Throws<InvalidDataException>(() => PayloadCut.Splice("{\"a\":[1,3]}", 5, shared.Text));
        Assert.Throws<InvalidDataException>(() => PayloadCut.Splice("{\"a\":[1,3]}", 40, shared.Text)); // past its end
    }
}
