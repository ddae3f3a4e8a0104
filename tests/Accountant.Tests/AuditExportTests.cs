using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Accounting.Accountant.Audit;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Storage;
using Accounting.Accountant.Tests.Infrastructure;

namespace Accounting.Accountant.Tests;

public class AuditExportTests(AuditWorkload workload) : IClassFixture<AuditWorkload>
{
    [Fact]
    public async Task Every_entry_is_exported_as_stored_with_the_payload_byte_for_byte_and_a_hash_chaining_it_to_the_one_before()
    {
        var lines = await LinesAsync("");
        using var connection = ServiceDatabase.Open(workload.Service);
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            SELECT l.seq, l.at, l.actor, l.kind, l.task_id, l.payload, l.prev_hash, l.hash, l.shared_at, s.json, l.listed_at, l.listed
            FROM ledger l LEFT JOIN ledger_shared s ON s.id = l.shared_id ORDER BY l.seq
            """;
        using var rows = command.ExecuteReader();
        var previous = new byte[32];
        var (count, shared, listed) = (0, 0, 0);
        while (rows.Read())
        {
            var line = lines[count++];
            using var entry = JsonDocument.Parse(line);
            var root = entry.RootElement;
            var (seq, payload, prevHash, hash) = (rows.GetInt64(0), rows.GetString(5), (byte[])rows[6], (byte[])rows[7]);
            if (!rows.IsDBNull(8))
            {
                // A value kept once in ledger_shared goes back where the stored payload's UTF-8 has "null".
                var (bytes, at) = (Encoding.UTF8.GetBytes(payload), checked((int)rows.GetInt64(8)));
                Assert.Equal("null"u8.ToArray(), bytes[at..(at + 4)]);
                payload = Encoding.UTF8.GetString([.. bytes[..at], .. Encoding.UTF8.GetBytes(rows.GetString(9)), .. bytes[(at + 4)..]]);
                shared++;
            }
            if (!rows.IsDBNull(10))
            {
                // Then a charge's list, kept compact (SensitivityListTests checks its JSON), where the UTF-8 has "null".
                var (bytes, at) = (Encoding.UTF8.GetBytes(payload), checked((int)rows.GetInt64(10)));
                Assert.Equal("null"u8.ToArray(), bytes[at..(at + 4)]);
                payload = Encoding.UTF8.GetString([.. bytes[..at], .. Encoding.UTF8.GetBytes(SensitivityList.JsonOf((byte[])rows[11])), .. bytes[(at + 4)..]]);
                listed++;
            }
            Assert.Equal(seq, root.GetProperty("seq").GetInt64());
            Assert.Equal(rows.GetString(1), root.GetProperty("at").GetString());
            Assert.Equal(payload, root.GetProperty("payload").GetRawText()); // raw text: the bytes as they appear in the line
            Assert.Equal(previous, prevHash);
            Assert.Equal(Convert.ToHexStringLower(prevHash), root.GetProperty("prevHash").GetString());
            Assert.Equal(Convert.ToHexStringLower(hash), root.GetProperty("hash").GetString());
            // The framing written out here, independently of LedgerChain: u64be seq, u32be-length-prefixed UTF-8 fields, the task behind a 0/1 tag.
            var content = new List<byte>(previous);
            content.AddRange(BitConverter.GetBytes(seq).Reverse());
            void Field(string text)
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                content.AddRange(BitConverter.GetBytes((uint)bytes.Length).Reverse());
                content.AddRange(bytes);
            }
            Field(rows.GetString(1));
            Field(rows.GetString(2));
            Field(rows.GetString(3));
            content.Add(rows.IsDBNull(4) ? (byte)0 : (byte)1);
            if (!rows.IsDBNull(4))
            {
                Field(rows.GetString(4));
            }
            Field(payload);
            Assert.Equal(System.Security.Cryptography.SHA256.HashData([.. content]), hash);
            previous = hash;
        }
        Assert.Equal(lines.Length, count);
        Assert.True(shared > 0, "the workload's charges keep their cost curves in ledger_shared");
        Assert.True(listed > 0, "the workload's charges with sensitivities keep their lists compact");
    }

    [Fact]
    public async Task A_task_filter_returns_exactly_the_tasks_entries()
    {
        var all = await EntriesAsync("");
        foreach (var task in AuditWorkload.Tasks.Keys)
        {
            var expected = all.Where(e => e.Task == task).Select(e => e.Line);
            Assert.Equal(expected, (await EntriesAsync($"?task={task}")).Select(e => e.Line));
        }
    }

    [Fact]
    public async Task A_time_range_returns_exactly_the_entries_recorded_from_its_start_to_before_its_end()
    {
        var all = await EntriesAsync("");
        var (from, to) = (all[30].At, all[90].At);
        bool In(Entry e, DateTimeOffset? start, DateTimeOffset? end) => (start is null || e.At >= start) && (end is null || e.At < end);

        Assert.Equal(all.Where(e => In(e, from, to)).Select(e => e.Line), (await EntriesAsync($"?from={Iso(from)}&to={Iso(to)}")).Select(e => e.Line));
        Assert.Equal(all.Where(e => In(e, from, null)).Select(e => e.Line), (await EntriesAsync($"?from={Iso(from)}")).Select(e => e.Line));
        Assert.Equal(all.Where(e => In(e, null, to)).Select(e => e.Line), (await EntriesAsync($"?to={Iso(to)}")).Select(e => e.Line));
        // The same instant with another offset is the same bound.
        var shifted = from.ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture);
        Assert.Equal(all.Where(e => In(e, from, to)).Select(e => e.Line), (await EntriesAsync($"?from={Uri.EscapeDataString(shifted)}&to={Iso(to)}")).Select(e => e.Line));
        // Combined with a task and resumed after a seq.
        var after = all[50].Seq;
        Assert.Equal(all.Where(e => In(e, from, to) && e.Task == "task-b" && e.Seq > after).Select(e => e.Line),
            (await EntriesAsync($"?from={Iso(from)}&to={Iso(to)}&task=task-b&after={after}")).Select(e => e.Line));
        Assert.True(all.Count(e => In(e, from, to)) >= 60, "the range holds entries to pick from");
    }

    [Fact]
    public async Task A_unit_filter_returns_exactly_the_entries_that_concern_the_unit()
    {
        using var api = workload.NewApi();
        var all = await EntriesAsync("");
        var taskCohorts = all.Where(e => e.Kind == "taskCreated").ToDictionary(e => e.Task!, e => e.Payload.GetProperty("cohort").GetString()!);
        foreach (var unit in new[] { "w-00045", "w-00005", "w-00006", "w-00125", "wu-00003", "wc-00000" })
        {
            var served = await api.UnitAsync(unit);
            var cohorts = served.Cohorts.ToHashSet();
            var kind = JsonSerializer.Serialize(served.Budget.UnitKind, Api.Json).Trim('"');
            // The definition, written out: its registrations and joins, its own budget, its kind's policy, its cohorts' creation, their tasks' entries.
            bool Concerns(Entry e) => e.Kind switch
            {
                "unitsRegistered" or "cohortMembersAdded" => e.Payload.GetProperty("units").EnumerateArray().Any(u => u.GetString() == unit),
                "unitBudgetSet" => e.Payload.GetProperty("unit").GetString() == unit,
                "defaultBudgetSet" => e.Payload.GetProperty("unitKind").GetString() == kind,
                "cohortCreated" => cohorts.Contains(e.Payload.GetProperty("cohort").GetString()!),
                _ => e.Task is { } task && cohorts.Contains(taskCohorts[task]),
            };
            var expected = all.Where(Concerns).Select(e => e.Line).ToList();
            Assert.Equal(expected, (await EntriesAsync($"?unit={unit}")).Select(e => e.Line));
            Assert.NotEmpty(expected);
        }
        Assert.Empty(await EntriesAsync("?unit=nobody"));
    }

    [Theory]
    [InlineData("?format=xml", "format")]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?from=2025-01-31T25:00:00Z", "from")]
    [InlineData("?to=2025-13-01", "to")]
    [InlineData("?to=31/01/2025", "to")]
    [InlineData("?from=2025-02-01&to=2025-01-01", "to")]
    [InlineData("?after=-1", "after")]
    [InlineData("?after=abc", "after")]
    [InlineData("?unit=50%25off", "unit")]
    [InlineData("?task=%20padded", "task")]
    public async Task Bad_filter_values_are_400s_naming_the_field(string query, string field)
    {
        using var api = workload.NewApi();
        var (status, problem, _) = await api.RawAsync(HttpMethod.Get, $"v1/audit/ledger{query}", null);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("urn:accounting:problem:invalid-input", problem.GetProperty("type").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors: {problem.GetProperty("errors")}");
    }

    [Theory]
    [InlineData("?format=csv", null)]
    [InlineData("", "text/csv")]
    public async Task The_csv_export_parses_back_to_the_same_entries_as_json_lines(string query, string? accept)
    {
        using var api = workload.NewApi();
        var lines = await LinesAsync("");
        using var csv = await ExportFile.DownloadAsync(api.Client, query, accept);
        var rows = Rfc4180(await File.ReadAllTextAsync(csv.Path));

        Assert.Equal(["seq", "at", "actor", "kind", "task", "payload", "prevHash", "hash"], rows[0]);
        Assert.Equal(lines.Length, rows.Count - 1);
        for (var i = 0; i < lines.Length; i++)
        {
            var (row, line) = (rows[i + 1], JsonDocument.Parse(lines[i]).RootElement);
            Assert.Equal(line.GetProperty("seq").GetInt64().ToString(CultureInfo.InvariantCulture), row[0]);
            Assert.Equal(line.GetProperty("at").GetString(), row[1]);
            Assert.Equal(line.GetProperty("actor").GetString(), row[2]);
            Assert.Equal(line.GetProperty("kind").GetString(), row[3]);
            Assert.Equal(line.GetProperty("task").GetString() ?? "", row[4]);
            Assert.Equal(line.GetProperty("payload").GetRawText(), row[5]);
            Assert.Equal(line.GetProperty("prevHash").GetString(), row[6]);
            Assert.Equal(line.GetProperty("hash").GetString(), row[7]);
            // A CSV row carries all the chain needs: its hash recomputes from its fields.
            var hash = LedgerChain.Hash(Convert.FromHexString(row[6]), long.Parse(row[0], CultureInfo.InvariantCulture), row[1], row[2], row[3],
                row[4].Length == 0 ? null : row[4], row[5]);
            Assert.Equal(row[7], LedgerChain.Hex(hash));
        }
    }

    [Fact]
    public async Task The_head_is_the_last_exported_entry_and_moves_with_the_ledger()
    {
        using var api = workload.NewApi();
        var lines = await LinesAsync("");
        var last = JsonDocument.Parse(lines[^1]).RootElement;
        var head = await api.GetAsync<LedgerHeadResponse>("v1/audit/head");
        Assert.Equal(last.GetProperty("seq").GetInt64(), head.Seq);
        Assert.Equal(last.GetProperty("at").GetString(), head.At);
        Assert.Equal(last.GetProperty("hash").GetString(), head.Hash);

        await api.PostAsync<RegisterUnitsResponse>("v1/units", new RegisterUnitsRequest(["head-mover"]));
        var moved = await api.GetAsync<LedgerHeadResponse>("v1/audit/head");
        var newest = JsonDocument.Parse((await LinesAsync($"?after={head.Seq}")).Single()).RootElement;
        Assert.Equal(head.Seq + 1, moved.Seq);
        Assert.Equal(newest.GetProperty("hash").GetString(), moved.Hash);
        Assert.Equal(head.Hash, newest.GetProperty("prevHash").GetString());
    }

    private sealed record Entry(long Seq, DateTimeOffset At, string Kind, string? Task, JsonElement Payload, string Line);

    private async Task<string[]> LinesAsync(string query)
    {
        using var api = workload.NewApi();
        using var export = await ExportFile.DownloadAsync(api.Client, query);
        return export.Lines();
    }

    private async Task<List<Entry>> EntriesAsync(string query) =>
        [.. (await LinesAsync(query)).Select(line =>
        {
            var root = JsonDocument.Parse(line).RootElement;
            return new Entry(root.GetProperty("seq").GetInt64(), DateTimeOffset.Parse(root.GetProperty("at").GetString()!, CultureInfo.InvariantCulture),
                root.GetProperty("kind").GetString()!, root.GetProperty("task").GetString(), root.GetProperty("payload"), line);
        })];

    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("O", CultureInfo.InvariantCulture));

    // RFC 4180 §2: rows end in CRLF; a field in double quotes may hold commas, CR, LF and doubled quotes.
    private static List<string[]> Rfc4180(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"' && field.Length == 0)
            {
                for (i++; !(text[i] == '"' && (i + 1 == text.Length || text[i + 1] != '"')); i++)
                {
                    field.Append(text[i]);
                    i += text[i] == '"' ? 1 : 0;
                }
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                field.Append(c);
            }
        }
        Assert.Empty(row); // the last row ended in CRLF
        return rows;
    }
}
