using Accounting.Accountant.Contracts;
using Accounting.Accountant.Storage;
using Accounting.Accountant.Storage.Sqlite;
using Accounting.Mechanisms.Events;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Accounting.Accountant.Tests;

// The SQLite writer keeps units' new deltas in memory and a compact log of each change in the same commit, and writes
// the units' rows later. What a write sees and what the file holds must still be exactly what was committed: a write
// that rolls back takes its changes with it, also from memory, and a service that stops before writing the rows
// leaves a log that the next one replays to the same deltas.
public sealed class DeltaLogTests : IDisposable
{
    private static readonly BudgetRow Budget = new(0, 10, 1e-6, null, "dp-accounting", NeighbouringRelation.AddOrRemoveOne, UnitKind.Example);
    private static readonly double[] Half = [-0.5, -0.25], Whole = [-1.0, -2.0];

    private readonly string _directory = Directory.CreateTempSubdirectory("delta-log-").FullName;

    [Fact]
    public async Task Deltas_committed_but_not_written_to_their_rows_are_replayed_by_the_next_store_on_the_file()
    {
        using var first = Open();
        await AddUnitsAsync(first, "u1", "u2", "u3");
        await first.WriteAsync(session => Change(session, D("u1", null, Half), D("u2", null, Half)));
        await first.WriteAsync(session => Change(session, D("u1", Half, Whole), D("u3", null, Half)));
        await first.WriteAsync(session => Change(session, D("u2", Half, null)));

        // Exact sums in binary: -0.5 - 1 and -0.25 - 2.
        string[] expected = ["u1 [-1.5, -2.25]", "u2 none", "u3 [-0.5, -0.25]"];
        Assert.Equal(expected, await first.ReadCurrentAsync(session => Shown(session.GetUnits(["u1", "u2", "u3"]))));
        Assert.Equal(["u1 none", "u2 none", "u3 none"], await first.ReadAsync(session => Shown(session.GetUnits(["u1", "u2", "u3"]))));
        Assert.Equal(3, LogRows());

        using var second = Open(); // as a service starting after the first stopped without writing the rows
        Assert.Equal(expected, await second.ReadAsync(session => Shown(session.GetUnits(["u1", "u2", "u3"]))));
        Assert.Equal(0, LogRows());
    }

    [Fact]
    public async Task A_write_that_fails_after_writing_the_rows_leaves_the_committed_deltas_in_memory_and_in_the_log()
    {
        using var first = Open();
        var group = await AddUnitsAsync(first, "u1", "u2");
        await first.WriteAsync(session => Change(session, D("u1", null, Half)));

        await Assert.ThrowsAsync<InvalidOperationException>(() => first.WriteAsync<int>(session =>
        {
            Change(session, D("u2", null, Whole));
            Assert.Equal(2, session.UnitsWithDelta(group).Count); // writes the rows and empties the log, in this write
            throw new InvalidOperationException("the write fails after writing");
        }));

        Assert.Equal(["u1 [-0.5, -0.25]", "u2 none"], await first.WriteAsync(session => Shown(session.GetUnits(["u1", "u2"]))));
        Assert.Equal(1, LogRows());
        using var second = Open();
        Assert.Equal(["u1 [-0.5, -0.25]", "u2 none"], await second.ReadAsync(session => Shown(session.GetUnits(["u1", "u2"]))));
    }

    [Fact]
    public async Task A_write_that_changes_deltas_again_after_writing_the_rows_and_then_fails_leaves_what_was_committed()
    {
        var first = Open();
        var group = await AddUnitsAsync(first, "u1", "u2", "u3");
        await first.WriteAsync(session => Change(session, D("u1", null, Half), D("u2", null, Half)));

        await Assert.ThrowsAsync<InvalidOperationException>(() => first.WriteAsync<int>(session =>
        {
            Change(session, D("u3", null, Whole));
            Assert.Equal(3, session.UnitsWithDelta(group).Count); // writes the rows and empties the log, in this write
            Change(session, D("u1", Half, Whole), D("u3", Whole, null), D("u2", Half, null));
            throw new InvalidOperationException("the write fails after writing");
        }));

        string[] committed = ["u1 [-0.5, -0.25]", "u2 [-0.5, -0.25]", "u3 none"];
        Assert.Equal(committed, await first.WriteAsync(session => Shown(session.GetUnits(["u1", "u2", "u3"]))));
        Assert.Equal(1, LogRows());
        await first.WriteAsync(session => Change(session, D("u3", null, Half))); // the next commit starts from there
        first.Dispose(); // writes the rows from what it holds, and empties the log
        Assert.Equal(0, LogRows());
        using var second = Open();
        Assert.Equal(["u1 [-0.5, -0.25]", "u2 [-0.5, -0.25]", "u3 [-0.5, -0.25]"], await second.ReadAsync(session => Shown(session.GetUnits(["u1", "u2", "u3"]))));
    }

    [Fact]
    public async Task Deltas_not_yet_in_their_rows_are_kept_when_the_writer_forgets_rows_past_its_bound()
    {
        using var first = Open();
        var many = Enumerable.Range(0, 70_000).Select(i => $"m{i}").ToArray(); // past the 65,536 rows the writer keeps
        await AddUnitsAsync(first, ["u1", .. many]);
        await first.WriteAsync(session => Change(session, D("u1", null, Half)));

        Assert.Equal(many.Length, await first.WriteAsync(session => session.GetUnits(many).Count));

        Assert.Equal(["u1 [-0.5, -0.25]"], await first.WriteAsync(session => Shown(session.GetUnits(["u1"]))));
        using var second = Open();
        Assert.Equal(["u1 [-0.5, -0.25]"], await second.ReadAsync(session => Shown(session.GetUnits(["u1"]))));
    }

    [Fact]
    public async Task In_one_commit_a_failing_write_loses_its_changes_and_the_writes_around_it_keep_theirs()
    {
        using var first = Open();
        await AddUnitsAsync(first, "u1", "u2", "u3");
        using var holding = new ManualResetEventSlim();
        var held = first.WriteAsync(_ => holding.Wait(TimeSpan.FromSeconds(30))); // keeps the writer busy while the next three queue
        var before = first.WriteAsync(session => Change(session, D("u1", null, Half)));
        var failing = first.WriteAsync<int>(session =>
        {
            Change(session, D("u2", null, Whole), D("u1", Half, Whole));
            throw new InvalidOperationException("the write fails after writing");
        });
        var after = first.WriteAsync(session =>
        {
            var seen = Shown(session.GetUnits(["u1", "u2", "u3"]));
            Change(session, D("u3", null, Whole));
            return seen;
        });
        holding.Set();

        Assert.True(await held);
        await before;
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal(["u1 [-0.5, -0.25]", "u2 none", "u3 none"], await after);
        string[] expected = ["u1 [-0.5, -0.25]", "u2 none", "u3 [-1, -2]"];
        Assert.Equal(expected, await first.ReadCurrentAsync(session => Shown(session.GetUnits(["u1", "u2", "u3"]))));
        using var second = Open();
        Assert.Equal(expected, await second.ReadAsync(session => Shown(session.GetUnits(["u1", "u2", "u3"]))));
    }

    [Fact]
    public async Task A_change_too_large_for_one_log_row_is_split_over_several_and_replayed_whole()
    {
        using var first = Open();
        // 3,000 ids of 40 characters: about 140 KB of log, over rows of at most 64 KB.
        var ids = Enumerable.Range(0, 3_000).Select(i => $"split-{i:D34}").ToArray();
        double[][] curves = [Half, Whole, [-0.125, -8.0]];
        await AddUnitsAsync(first, ids);
        await first.WriteAsync(session => Change(session, [.. ids.Select((id, i) => D(id, null, curves[i % 3]))]));
        await first.WriteAsync(session => Change(session, [.. ids.Where((_, i) => i % 5 == 0).Select(id => D(id, null, null))]));
        Assert.True(LogRows() > 3, $"{LogRows()} log rows");

        using var second = Open(); // replays the log onto the rows
        string[] expected = [.. ids.Select((id, i) => i % 5 == 0 ? $"{id} none" : Shown([new UnitRow(id, 0, curves[i % 3])])[0]).Order(StringComparer.Ordinal)];
        Assert.Equal(expected, await second.ReadAsync(session => Shown(session.GetUnits(ids))));
    }

    [Fact]
    public async Task Deltas_added_to_as_the_writer_holds_them_lose_a_failing_writes_additions_and_keep_those_of_the_writes_around_it()
    {
        using var first = Open();
        await AddUnitsAsync(first, "u1", "u2");
        await first.WriteAsync(session => Change(session, D("u1", null, Half), D("u2", null, Half)));
        using var holding = new ManualResetEventSlim();
        var held = first.WriteAsync(_ => holding.Wait(TimeSpan.FromSeconds(30))); // the next three share one commit
        var before = first.WriteAsync(session => Change(session, Held(session, "u1", Whole)));
        var failing = first.WriteAsync<int>(session =>
        {
            Change(session, Held(session, "u1", Half), Held(session, "u2", Whole));
            Change(session, Held(session, "u1", Whole)); // twice in one write
            throw new InvalidOperationException("the write fails after adding");
        });
        var after = first.WriteAsync(session => Change(session, Held(session, "u2", Half)));
        holding.Set();

        Assert.True(await held);
        await before;
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        await after;
        // Exact sums in binary: -0.5 - 1 and -0.25 - 2; -0.5 - 0.5 and -0.25 - 0.25.
        string[] expected = ["u1 [-1.5, -2.25]", "u2 [-1, -0.5]"];
        Assert.Equal(expected, await first.ReadCurrentAsync(session => Shown(session.GetUnits(["u1", "u2"]))));
        using var second = Open();
        Assert.Equal(expected, await second.ReadAsync(session => Shown(session.GetUnits(["u1", "u2"]))));
    }

    [Fact]
    public async Task A_log_row_names_by_number_the_units_and_curves_an_earlier_row_spelled_out()
    {
        using var first = Open();
        var ids = Enumerable.Range(0, 1_000).Select(i => $"numbered-unit-{i:D16}").ToArray(); // 30 characters each
        await AddUnitsAsync(first, ids);
        // Ten curves of 64 orders, made afresh for each write as a charge makes them: equal values, other arrays.
        static double[] Curve(int k, int times) => [.. Enumerable.Range(0, 64).Select(j => -times * (64.0 * k + j) / 1024)];
        double[][] Curves() => [.. Enumerable.Range(1, 10).Select(k => Curve(k, 1))];
        for (var write = 0; write < 3; write++)
        {
            var curves = Curves();
            await first.WriteAsync(session => Change(session, [.. ids.Select((id, i) => Held(session, id, curves[i % 10]))]));
        }

        var sizes = LogRowSizes();
        Assert.Equal(3, sizes.Length);
        Assert.True(sizes[0] > 30 * ids.Length, $"the first row spells out every id: {sizes[0]} bytes");
        // Under 4 bytes a change, where the ten curves spelled out again would take 5 KB.
        Assert.All(sizes[1..], size => Assert.True(size < 4 * ids.Length, $"a later row names each unit and curve in a few bytes: {size} bytes"));
        using var second = Open(); // replays the log onto the rows
        // Three times a multiple of 1/1024 under 2^20: exact in binary.
        string[] expected = [.. ids.Select((id, i) => Shown([new UnitRow(id, 0, Curve(i % 10 + 1, 3))])[0]).Order(StringComparer.Ordinal)];
        Assert.Equal(expected, await second.ReadAsync(session => Shown(session.GetUnits(ids))));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_writer_spells_out_names_again_once_the_log_was_emptied(bool byAnotherConnection)
    {
        using var first = Open();
        var group = await AddUnitsAsync(first, "u1", "u2");
        await first.WriteAsync(session => Change(session, Held(session, "u1", Half)));
        if (byAnotherConnection)
        {
            Open().Dispose(); // replays the log onto the rows and empties it, while the first still holds its numbers
        }
        else
        {
            Assert.Equal(1, await first.WriteAsync(session => session.UnitsWithDelta(group).Count)); // writes the rows, empties the log
        }
        Assert.Equal(0, LogRows());

        await first.WriteAsync(session => Change(session, Held(session, "u1", Whole), Held(session, "u2", Half)));

        using var second = Open(); // fails to read the log if the first named u1 by a number that no row left gives
        // Exact sums in binary: -0.5 - 1 and -0.25 - 2.
        Assert.Equal(["u1 [-1.5, -2.25]", "u2 [-0.5, -0.25]"], await second.ReadAsync(session => Shown(session.GetUnits(["u1", "u2"]))));
    }

    [Fact]
    public async Task A_log_left_in_the_first_format_is_replayed()
    {
        using (var first = Open())
        {
            await AddUnitsAsync(first, "u1", "u2");
            await first.WriteAsync(session => Change(session, D("u2", null, Whole)));
        }
        // As the first format wrote it: version 1, the curves (count, then each one's length and values), then the
        // changes (count, then each one's curve index, −1 for cleared, and its id's UTF-8 length and bytes), little-endian.
        var row = new List<byte> { 1 };
        void Int(int value) => row.AddRange(BitConverter.GetBytes(value));
        Int(1);
        Int(2);
        row.AddRange(BitConverter.GetBytes(-0.5));
        row.AddRange(BitConverter.GetBytes(-0.25));
        Int(3);
        foreach (var (curve, id) in new[] { (0, "u1"), (-1, "u2"), (0, "u1") })
        {
            Int(curve);
            row.AddRange(BitConverter.GetBytes((ushort)id.Length));
            row.AddRange(System.Text.Encoding.UTF8.GetBytes(id));
        }
        InsertLogRow([.. row]);

        using var second = Open();
        Assert.Equal(["u1 [-1, -0.5]", "u2 none"], await second.ReadAsync(session => Shown(session.GetUnits(["u1", "u2"]))));
        Assert.Equal(0, LogRows());
    }

    // Version 2, going on from no unit and no curve: spelling out none, then one change (unit 0, curve 0: cleared);
    // or spelling out one id of 2 bytes of which the row holds 1.
    [Theory]
    [InlineData(new byte[] { 2, 0, 0, 0, 0, 1, 0, 0 }, "no row gave")]
    [InlineData(new byte[] { 2, 0, 0, 1, 2, (byte)'u' }, "ends early")]
    public async Task A_log_row_that_cannot_be_read_whole_stops_the_next_store_from_opening(byte[] row, string reason)
    {
        using (var first = Open())
        {
            await AddUnitsAsync(first, "u1");
        }
        InsertLogRow(row);

        var error = Assert.Throws<InvalidDataException>(Open);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static int Change(IStoreSession session, params DeltaChange[] changes)
    {
        session.SetDeltas(changes);
        return 0;
    }

    private static DeltaChange D(string id, double[]? current, double[]? added) => new(id, current, added);

    // The change as a charge makes it: added to the unit's delta as the writer shows it.
    private static DeltaChange Held(IStoreSession session, string id, double[] added) => new(id, session.GetUnit(id)!.Delta, added);

    private static Task<long> AddUnitsAsync(SqliteStore store, params string[] ids) => store.WriteAsync(session =>
    {
        var group = session.FindOrAddGroup(session.FindOrAddBudget(Budget), [], [], [0.0, 0.0]);
        session.AddUnits(ids, group);
        return group;
    });

    private static string[] Shown(IEnumerable<UnitRow> units) =>
        [.. units.OrderBy(u => u.Id, StringComparer.Ordinal).Select(u => u.Delta is null
            ? $"{u.Id} none"
            : $"{u.Id} [{string.Join(", ", u.Delta.Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}]")];

    private string DatabasePath => Path.Combine(_directory, "accounting.db");

    // Never written to the rows by age during a test: only a flush the test asks for, or a store's start, writes them.
    private SqliteStore Open() =>
        new(Options.Create(new AccountantOptions { Sqlite = { Path = DatabasePath, DeltaFlushMilliseconds = 60_000 } }));

    private void InsertLogRow(byte[] blob)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO unit_delta_log (changes) VALUES (@blob)";
        command.Parameters.AddWithValue("@blob", blob);
        command.ExecuteNonQuery();
    }

    private int LogRows() => LogRowSizes().Length;

    private long[] LogRowSizes()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT length(changes) FROM unit_delta_log ORDER BY seq";
        using var reader = command.ExecuteReader();
        var sizes = new List<long>();
        while (reader.Read())
        {
            sizes.Add(reader.GetInt64(0));
        }
        return [.. sizes];
    }
}
