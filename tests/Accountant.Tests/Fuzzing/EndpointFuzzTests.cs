using System.Net.Http.Headers;
using System.Text.Json;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.TestSupport;
using CsCheck;
using Xunit.Abstractions;

namespace Accounting.Accountant.Tests.Fuzzing;

/// <summary>
/// Every documented operation, hit with malformed and hostile requests: wrong types, NaN and infinity literals, huge
/// numbers and arrays, deep nesting, unknown and duplicate members, unicode ids, truncated and oversized bodies. The
/// service must answer each with a 4xx problem and leave the database as it was, or accept it as valid; never a 5xx.
/// </summary>
public sealed class EndpointFuzzTests(ITestOutputHelper output)
{
    private const int Mutations = 14;
    private const int Cases = 3_000;

    [Fact]
    public async Task Hostile_requests_get_a_4xx_problem_and_change_nothing_never_a_5xx()
    {
        await using var service = await ServiceProcess.StartAsync();
        using var api = new Api(service.CreateClient());
        var units = Builders.UnitIds("fuzz-unit", 10);
        await api.CohortAsync("fuzz-cohort", units);
        await api.DpSgdTaskAsync("fuzz-task", "fuzz-cohort", steps: 100_000, samplingRate: 0.01, epsilon: 8);
        var knownIds = new Dictionary<string, string> { ["cohorts"] = "fuzz-cohort", ["tasks"] = "fuzz-task", ["units"] = units[0] };
        var operations = Operation.All;
        var digest = DatabaseDigest.Of(service);
        var outcomes = new SortedDictionary<int, int>();
        var malformed = 0;

        await Gen.Select(Gen.Int[0, operations.Count - 1], Gen.Int[0, Mutations - 1], Gen.Int)
            .SampleAsync(async (operation, mutation, seed) =>
            {
                var request = HostileRequest.Create(operations[operation], mutation, seed, knownIds);
                var (status, body, contentType) = await SendAsync(api.Client, request);
                outcomes[status] = outcomes.GetValueOrDefault(status) + 1;
                malformed += request.Malformed ? 1 : 0;
                Assert.True(status < 500, $"{status} for {request}: {body}");
                Assert.True(!request.Malformed || status >= 400, $"{status} for a malformed body: {request}");
                if (status >= 400)
                {
                    Assert.True(contentType == "application/problem+json", $"{status} without a problem for {request}: {contentType}");
                    using var problem = JsonDocument.Parse(body);
                    Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
                    Assert.StartsWith("urn:accounting:problem:", problem.RootElement.GetProperty("type").GetString(), StringComparison.Ordinal);
                    Assert.True(digest == DatabaseDigest.Of(service), $"the database changed after {status} for {request}");
                }
                else
                {
                    digest = DatabaseDigest.Of(service); // a valid request may change it
                }
            }, iter: Cases, threads: 1);

        output.WriteLine($"{Cases} cases over {operations.Count} operations, {malformed} with bodies no request may have; answers by status: {string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}"))}");
        Assert.Equal(Cases, outcomes.Values.Sum());
        Assert.Contains(outcomes.Keys, status => status >= 400); // the mutations reach validation, not only valid paths
    }

    private static async Task<(int Status, string Body, string? ContentType)> SendAsync(HttpClient client, HostileRequest request)
    {
        using var message = new HttpRequestMessage(request.Operation.Method, request.Path.TrimStart('/'));
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
            // A large body waits for 100-continue, as careful clients do: refused over its limit, it is never sent,
            // and the 413 is read instead of a broken pipe.
            message.Headers.ExpectContinue = request.Body.Length > 1024 * 1024;
        }
        using var response = await client.SendAsync(message);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }
}
