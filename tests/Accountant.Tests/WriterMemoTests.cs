using System.Globalization;
using System.Text;
using Accounting.Accountant.Audit;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Storage;
using Accounting.Accountant.Storage.Sqlite;
using Accounting.Mechanisms.Events;
using Microsoft.Extensions.Options;

namespace Accounting.Accountant.Tests;

// The SQLite writer does not read again the task, budget and unit rows and the ledger head it remembers. A write must
// still see what the file holds: nothing of a write that rolled back, whatever another process sharing the file
// committed, and units that a statement moved without naming them.
public sealed class WriterMemoTests : IDisposable
{
    private const string TaskId = "t";
    private static readonly BudgetRow Budget = new(0, 10, 1e-6, null, "dp-accounting", NeighbouringRelation.AddOrRemoveOne, UnitKind.Example);
    private static readonly DateTimeOffset At = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Directory.CreateTempSubdirectory("writer-memo-").FullName;

    [Fact]
    public async Task A_task_update_rolled_back_with_its_write_is_not_seen_by_the_next_write()
    {
        using var store = Open();
        await CreateTaskAsync(store);

        var budget = await store.WriteAsync(session => session.GetBudget(session.FindOrAddBudget(Budget))!);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync<int>(session =>
        {
            session.UpdateBudget(session.GetBudget(budget.Id)! with { Epsilon = 1 });
            session.UpdateTask(session.GetTask(TaskId)! with { NextStep = 5 });
            session.AppendLedger(Entry("rolled back"));
            throw new InvalidOperationException("the write fails after writing");
        }));
        var after = await store.WriteAsync(session =>
        {
            session.UpdateTask(session.GetTask(TaskId)! with { NextStep = session.GetTask(TaskId)!.NextStep + 1 });
            session.AppendLedger(Entry("after"));
            return session.GetBudget(budget.Id);
        });

        Assert.Equal(budget, after);
        Assert.Equal(1, (await store.ReadAsync(session => session.GetTask(TaskId)))!.NextStep);
        AssertChained(await ReadLedgerAsync(store), "created", "after");
    }

    [Fact]
    public async Task A_write_sees_the_task_and_ledger_entries_another_process_committed_to_the_file()
    {
        using var first = Open();
        using var second = Open(); // its own writer connection, as a second process on the file has
        await CreateTaskAsync(first);
        Assert.Equal(0, await first.WriteAsync(session => session.GetTask(TaskId)!.NextStep)); // now remembered

        await second.WriteAsync(session =>
        {
            session.UpdateTask(session.GetTask(TaskId)! with { NextStep = 7 });
            session.AppendLedger(Entry("by the second"));
            return 0;
        });
        var seen = await first.WriteAsync(session =>
        {
            var task = session.GetTask(TaskId)!;
            session.UpdateTask(task with { NextStep = task.NextStep + 1 });
            session.AppendLedger(Entry("by the first"));
            return task.NextStep;
        });

        Assert.Equal(7, seen);
        Assert.Equal(8, (await second.ReadAsync(session => session.GetTask(TaskId)))!.NextStep);
        AssertChained(await ReadLedgerAsync(second), "created", "by the second", "by the first");
    }

    [Fact]
    public async Task A_unit_delta_rolled_back_with_its_write_is_not_seen_by_the_next_write()
    {
        using var store = Open();
        var (group, _) = await AddUnitsAsync(store, "u1");
        Assert.Null(await store.WriteAsync(session => session.GetUnit("u1")!.Delta)); // now remembered

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync<int>(session =>
        {
            session.SetDeltas([Set("u1", [-1.0, -2.0])]);
            throw new InvalidOperationException("the write fails after writing");
        }));

        Assert.Equal(Shown([new UnitRow("u1", group, null)]), await store.WriteAsync(session => Shown(session.GetUnits(["u1"]))));
    }

    [Fact]
    public async Task A_write_sees_the_moves_another_process_committed_to_the_file_and_its_deltas_once_written()
    {
        // One service per SQLite file is the deployment (replicas share PostgreSQL). A second process's deltas wait in
        // its memory, so until it writes them to the rows this one reads the older delta: a delta only ever falls (a
        // unit's savings add up), so that overstates the unit's spend and never understates it.
        using var first = Open();
        var second = Open();
        var (group, other) = await AddUnitsAsync(first, "u1", "u2");
        Assert.Equal(2, await first.WriteAsync(session => session.GetUnits(["u1", "u2"]).Count)); // now remembered

        await second.WriteAsync(session =>
        {
            session.SetDeltas([Set("u1", [-1.0, -2.0])]);
            session.MoveUnits(["u2"], group, other);
            return 0;
        });
        var seen = await first.WriteAsync(session => session.GetUnits(["u1", "u2"]).OrderBy(u => u.Id, StringComparer.Ordinal).ToList());
        Assert.Null(seen[0].Delta);
        Assert.Equal(other, seen[1].GroupId);

        second.Dispose(); // writes its deltas to the rows
        Assert.Equal<double[]?>([-1.0, -2.0], await first.WriteAsync(session => session.GetUnit("u1")!.Delta));
    }

    [Fact]
    public async Task Deltas_set_and_units_moved_by_one_write_are_stored_and_seen_by_the_next_write()
    {
        var store = Open();
        var (group, other) = await AddUnitsAsync(store, "u1", "u2", "u3");
        await store.WriteAsync(session => session.GetUnits(["u1", "u2", "u3"]).Count); // now remembered

        // Deltas of two widths and one removed, in one call: each unit gets its own.
        await store.WriteAsync(session =>
        {
            session.SetDeltas([Set("u1", [-0.5, -0.25]), Set("u2", [-1.5]), Set("u3", [-3.0, -4.0])]);
            return 0;
        });
        await store.WriteAsync(session =>
        {
            session.SetDeltas([Set("u1", null)]);
            session.MoveUnits(["u2"], group, other);
            return 0;
        });

        UnitRow[] expected = [new("u1", group, null), new("u2", other, [-1.5]), new("u3", group, [-3.0, -4.0])];
        Assert.Equal(Shown(expected), await store.WriteAsync(session => Shown(session.GetUnits(["u1", "u2", "u3"]))));
        Assert.Equal(Shown(expected), await store.ReadCurrentAsync(session => Shown(session.GetUnits(["u1", "u2", "u3"]))));
        store.Dispose(); // the rows are written
        using var again = Open();
        Assert.Equal(Shown(expected), await again.ReadAsync(session => Shown(session.GetUnits(["u1", "u2", "u3"]))));
    }

    [Fact]
    public async Task A_write_sees_the_group_units_moved_to_when_they_joined_another_cohort()
    {
        using var store = Open();
        var (group, _) = await AddUnitsAsync(store, "u1");
        Assert.Equal(group, await store.WriteAsync(session => session.GetUnit("u1")!.GroupId)); // now remembered

        var joined = await store.WriteAsync(session =>
        {
            session.AddCohort(new CohortRow("c2", UnitKind.Example, 0, At));
            session.AddCohortMembers("c2", ["u1"], group, g => session.FindOrAddGroup(g.BudgetId, ["c2"], [], g.Base));
            return session.FindOrAddGroup(session.GetGroup(group).BudgetId, ["c2"], [], [0.0, 0.0]);
        });

        Assert.NotEqual(group, joined);
        Assert.Equal(joined, await store.WriteAsync(session => session.GetUnit("u1")!.GroupId));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // Units in a fresh group, and a second group of the same budget to move them to.
    private static Task<(long Group, long Other)> AddUnitsAsync(SqliteStore store, params string[] ids) => store.WriteAsync(session =>
    {
        var budget = session.FindOrAddBudget(Budget);
        var group = session.FindOrAddGroup(budget, [], [], [0.0, 0.0]);
        session.AddUnits(ids, group);
        return (group, session.AddGroup(budget, [], [], [0.0, 0.0]));
    });

    // A change that leaves the unit's delta at exactly this (the test's units start without one).
    private static DeltaChange Set(string id, double[]? delta) => new(id, null, delta);

    // Rows by id with their deltas spelled out (a record compares arrays by reference).
    private static string[] Shown(IEnumerable<UnitRow> units) =>
        [.. units.OrderBy(u => u.Id, StringComparer.Ordinal).Select(u => u.Delta is null ? $"{u.Id} {u.GroupId} none" : $"{u.Id} {u.GroupId} [{string.Join(", ", u.Delta.Select(d => d.ToString("R", CultureInfo.InvariantCulture)))}]")];

    private SqliteStore Open() =>
        new(Options.Create(new AccountantOptions { Sqlite = { Path = Path.Combine(_directory, "accounting.db") } }));

    private static Task<int> CreateTaskAsync(SqliteStore store) => store.WriteAsync(session =>
    {
        session.AddCohort(new CohortRow("c", UnitKind.Example, 0, At));
        session.AddTask(new TaskRow(
            TaskId, "c", UnitKind.Example, NeighbouringRelation.AddOrRemoveOne, "{}", "{}", "dp-accounting", 1.1, 1.0, null,
            TaskState.Planned, 0, [0.0, 0.0], null, At, At, null));
        session.AppendLedger(Entry("created"));
        return 0;
    });

    private static LedgerEntry Entry(string note) =>
        new(At.ToString("O", CultureInfo.InvariantCulture), "test", "note", TaskId, Encoding.UTF8.GetBytes($$"""{"note":"{{note}}"}"""));

    private static Task<IReadOnlyList<LedgerRow>> ReadLedgerAsync(SqliteStore store) =>
        store.ReadAsync(session => session.ReadLedger(new LedgerFilter(long.MaxValue), 0, 100));

    // Entries 1..n in order, each hashed onto the one before it (recomputed here from the stored fields).
    private static void AssertChained(IReadOnlyList<LedgerRow> rows, params string[] notes)
    {
        Assert.Equal(notes.Select(n => $$"""{"note":"{{n}}"}"""), rows.Select(r => r.Payload));
        var previous = LedgerChain.Genesis.ToArray();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            Assert.Equal(i + 1, row.Seq);
            Assert.Equal(previous, row.PrevHash);
            previous = LedgerChain.Hash(previous, row.Seq, row.At, row.Actor, row.Kind, row.TaskId, row.Payload);
            Assert.Equal(previous, row.Hash);
        }
    }
}
