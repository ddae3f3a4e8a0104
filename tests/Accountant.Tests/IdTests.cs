using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.TestSupport;

namespace Accounting.Accountant.Tests;

/// <summary>Ids reach every resource: namespaced ones (with '/') in URL paths, and any text in bulk lists.</summary>
public class IdTests
{
    // Lists of ids go to the database as one JSON array: ids that JSON escapes (quotes, backslashes, non-ASCII, emoji)
    // must be found again exactly, when registered twice, joined to a cohort and charged one by one.
    [Fact]
    public async Task Ids_that_json_escapes_are_found_again_in_bulk_lists()
    {
        await using var service = await ServiceProcess.StartAsync();
        using var api = new Api(service.CreateClient());
        string[] units = ["quote\"d", "back\\slash", "café", "emoji-😀", "<tag> & 'apostrophe'", "日本語", "[\"json\"]"];

        var first = await api.PostAsync<RegisterUnitsResponse>("v1/units", new RegisterUnitsRequest([.. units, units[0]]));
        Assert.Equal((units.Length, 0), (first.Registered, first.AlreadyKnown));
        var again = await api.PostAsync<RegisterUnitsResponse>("v1/units", new RegisterUnitsRequest([.. units, "plain"]));
        Assert.Equal((1, units.Length), (again.Registered, again.AlreadyKnown));

        await api.CohortAsync("escaped", [.. units, "plain"]);
        var task = await api.DpSgdTaskAsync("escaped-task", "escaped", steps: 10, samplingRate: 0.1, epsilon: 3);
        await api.ChargeAsync(task.Id, 0, [.. units.Select(u => new UnitSensitivity(u, 0.5))]);
        var full = (await api.UnitAsync("plain")).Spent.Values();
        foreach (var unit in units)
        {
            var spent = (await api.UnitAsync(unit)).Spent.Values();
            Assert.True(spent.Zip(full).All(p => p.First < p.Second), $"'{unit}' did not pay at its own sensitivity");
        }
    }

    [Fact]
    public async Task Ids_with_slashes_work_in_every_path()
    {
        await using var service = await ServiceProcess.StartAsync();
        using var api = new Api(service.CreateClient());
        var units = Builders.UnitIds("mnist/train/example", 20);
        await api.CohortAsync("mnist/train", units);
        var task = await api.DpSgdTaskAsync("mnist/run/1", "mnist/train", steps: 10, samplingRate: 0.1, epsilon: 2);

        Assert.Equal("mnist/train", (await api.GetAsync<CohortResponse>("v1/cohorts/mnist%2Ftrain")).Id);
        Assert.Equal(1, (await api.ChargeAsync("mnist/run/1", 0)).NextStep);
        Assert.Equal(1, (await api.TaskAsync(task.Id)).NextStep);
        Assert.Equal(units[3], (await api.UnitAsync(units[3])).Id);
        Assert.Contains("mnist/run/1", (await api.UnitAsync(units[3])).Tasks.Select(t => t.TaskId));
        Assert.Empty((await api.GetAsync<ExclusionsResponse>("v1/tasks/mnist%2frun%2F1/exclusions")).Units);
        var added = await api.PostAsync<AddMembersResponse>("v1/cohorts/mnist%2Ftrain/members", new AddMembersRequest(["mnist/train/late"]));
        Assert.Equal(21, added.Members);
    }

    // The rules as the API documents them, written plainly: the service's vectorised check must give the same answer
    // for every id, including control characters of both ranges, '%' and Unicode white space at either end.
    [Fact]
    public void Id_rules_refuse_exactly_control_characters_percent_signs_and_white_space_at_the_ends()
    {
        static string? Reference(string? id) => id switch
        {
            null or "" => "must be a non-empty string",
            { Length: > Ids.MaxLength } => $"must be at most {Ids.MaxLength} characters",
            _ when id.Any(char.IsControl) => "must not contain control characters",
            _ when id.Contains('%', StringComparison.Ordinal) => "must not contain '%' (in a URL path an id's '/' is sent as %2F)",
            _ when id != id.Trim() => "must not start or end with white space",
            _ => null,
        };
        char[] alphabet = ['a', 'Z', '7', '/', '-', ' ', '%', '\0', '\t', '\u001f', '\u007f', '\u0085', '\u009f', '\u00a0', '\u00a1', '\u2003', '\u3000', 'é', '\ud83d', '\ude00'];
        var random = new Random(11);
        string[] fixedCases = [null!, "", "plain", new string('x', Ids.MaxLength), new string('x', Ids.MaxLength + 1), " lead", "trail\u2003", "mid dle", "50%", "tab\there", "\u0085", "\u00a0x", "x\u00a0"];
        var cases = fixedCases.Concat(Enumerable.Range(0, 20_000).Select(_ =>
            new string([.. Enumerable.Range(0, random.Next(1, 6)).Select(_ => alphabet[random.Next(alphabet.Length)])])));
        foreach (var id in cases)
        {
            Assert.True(Reference(id) == Ids.Problem(id), $"'{id}': {Ids.Problem(id)} instead of {Reference(id)}");
        }
    }
}
