using System.Text.Json;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Storage;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.Accountant.Verification;
using Accounting.Mechanisms.Events;
using CsCheck;

namespace Accounting.Accountant.Tests;

/// <summary>A charge's list of units and factors, which the stores keep compact in the place of its JSON.</summary>
public class SensitivityListTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    // Ids that share prefixes of every length, that split a multi-byte character, and that need escaping in JSON.
    private static readonly Gen<string> Id = Gen.OneOf(
        Gen.String[Gen.Char["ab"], 1, 6],
        Gen.String[Gen.Char["aé€\"\\<"], 1, 6],
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 99]).Select((p, i) => $"{new[] { "", "a", "é", "😀" }[p]}-{i:D3}"),
        Gen.String);

    // Factors on the grid, as charges round them, and off it.
    private static readonly Gen<double> Factor = Gen.OneOf(Gen.Int[0, IndividualSensitivity.GridSize].Select(k => (double)k / IndividualSensitivity.GridSize), Gen.Double[0, 1]);

    [Fact]
    public void The_compact_form_gives_back_the_json_earlier_versions_stored()
    {
        Gen.Select(Id, Factor).Array[0, 40].Sample(entries =>
        {
            var factors = entries.DistinctBy(e => e.Item1).Select(e => KeyValuePair.Create(e.Item1, e.Item2)).ToList();
            // The serialiser's own JSON of the list, as the ledger held it before the compact form.
            var expected = JsonSerializer.Serialize(factors.Select(f => new { unit = f.Key, sensitivity = f.Value }), EventJson.Options);

            Assert.Equal(expected, SensitivityList.JsonOf(SensitivityList.CompactOf(factors)));
        });
    }

    [Theory]
    [InlineData("shared")] // a cohort's numbered members: most ids add one byte to the one before
    [InlineData("")]       // ids with nothing in common (random GUIDs)
    public void An_entry_takes_the_bytes_its_id_does_not_share_with_the_one_before_and_three_more(string prefix)
    {
        var factors = Enumerable.Range(0, 1000)
            .Select(i => KeyValuePair.Create(prefix.Length > 0 ? $"{prefix}-{i:D7}" : Guid.NewGuid().ToString(), (i % 100 + 1) / 100.0)).ToList();
        var newBytes = factors.Select((f, i) => f.Key.Length - (i == 0 ? 0 : f.Key.AsSpan().CommonPrefixLength(factors[i - 1].Key))).Sum();

        var compact = SensitivityList.CompactOf(factors);

        // Version, grid size and a two-byte count; then each entry's shared length, new length, new bytes and k, all ASCII and under 128.
        Assert.Equal(1 + 1 + 2 + newBytes + 3 * factors.Count, compact.Length);
        Assert.Equal(JsonSerializer.Serialize(factors.Select(f => new { unit = f.Key, sensitivity = f.Value }), EventJson.Options), SensitivityList.JsonOf(compact));
    }

    [Theory]
    [InlineData(new byte[0], "version none")]
    [InlineData(new byte[] { 2, 100, 0 }, "version 2")]
    [InlineData(new byte[] { 1, 100, 1, 0, 2, (byte)'a' }, "ends early")]                      // an id of 2 bytes with 1
    [InlineData(new byte[] { 1, 100, 2, 0, 1, (byte)'a', 5, 2, 0, 5 }, "shares more")]          // 2 bytes shared of 1
    [InlineData(new byte[] { 1, 100, 1, 0, 1, (byte)'a', 102 }, "cannot read")]                // past GridSize + 1
    [InlineData(new byte[] { 1, 100, 1, 0, 1, (byte)'a', 101, 0, 0 }, "cannot read")]          // a double cut short
    [InlineData(new byte[] { 1, 100, 1, 0, 1, (byte)'a', 5, 0 }, "bytes past")]
    [InlineData(new byte[] { 1, 100, 1, 0, 1, 0xff, 5 }, "not UTF-8")]
    [InlineData(new byte[] { 1, 100, 0x80 }, "ends early")]
    public void A_damaged_compact_form_is_refused_with_what_is_wrong(byte[] compact, string problem)
    {
        var refused = Assert.Throws<InvalidDataException>(() => SensitivityList.JsonOf(compact));

        Assert.Contains(problem, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_charges_list_is_stored_compact_and_read_back_whole()
    {
        // Multi-byte characters before the list in the payload, in the cohort's id: the stored offsets count UTF-8 bytes.
        const string cohort = "listed-é-😀";
        const string taskId = "listed-task";
        using var api = fixture.NewApi();
        var units = Builders.UnitIds("listed", 1000);
        await api.CohortAsync(cohort, units);
        await api.DpSgdTaskAsync(taskId, cohort, steps: 10, samplingRate: 0.05, epsilon: 2);
        UnitSensitivity[] sent = [.. units.Select((u, i) => new UnitSensitivity(u, (i % 97 + 0.5) / 97))];
        for (var step = 0; step < 2; step++)
        {
            await api.ChargeAsync(taskId, step, sent);
        }

        using (var connection = ServiceDatabase.Open(fixture.Service))
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT max(length(payload)), max(length(listed)), count(listed) FROM ledger WHERE kind = 'charge' AND task_id = '{taskId}'";
            using var rows = command.ExecuteReader();
            Assert.True(rows.Read());
            Assert.InRange(Convert.ToInt64(rows[0], System.Globalization.CultureInfo.InvariantCulture), 1, 800); // no list, no cost curve
            Assert.InRange(Convert.ToInt64(rows[1], System.Globalization.CultureInfo.InvariantCulture), 1, 5_000); // the JSON: ~43 KB
            Assert.Equal(2L, Convert.ToInt64(rows[2], System.Globalization.CultureInfo.InvariantCulture));
        }

        // What auditors read: each factor rounded up onto the grid, as the serialiser writes the list.
        var expected = JsonSerializer.Serialize(
            sent.Select(s => new { unit = s.Unit, sensitivity = IndividualSensitivity.RoundUp(s.Sensitivity) }), EventJson.Options);
        using var export = await ExportFile.DownloadAsync(api.Client, $"?task={Uri.EscapeDataString(taskId)}");
        var lists = export.Lines().Select(line => JsonDocument.Parse(line).RootElement.GetProperty("payload"))
            .Where(p => p.TryGetProperty("step", out _)).Select(p => p.GetProperty("sensitivities").GetRawText()).ToList();
        Assert.Equal([expected, expected], lists);
        using var whole = await ExportFile.DownloadAsync(api.Client);
        Assert.Null(LedgerVerifier.Verify(whole.Path).Chain.Break); // the chain holds over the payloads as read back
    }
}
