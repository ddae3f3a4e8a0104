using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Accounting.TestSupport;

namespace Accounting.LoadGen;

/// <summary>
/// The service under load: one given by address and key, or one started here on a temporary database (as the tests
/// do), configured for the run: rate limits out of the way and budgets large enough that no unit runs out mid-run.
/// </summary>
internal sealed class Target : IAsyncDisposable
{
    private readonly ServiceProcess? _owned;

    private Target(Uri baseAddress, string apiKey, int? processId, ServiceProcess? owned, int connections)
    {
        _owned = owned;
        ProcessId = processId;
        Client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromMinutes(10),
        };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    public HttpClient Client { get; }

    /// <summary>Prefix of every id this run creates, so that runs against one service do not collide.</summary>
    public string Run { get; } = Guid.NewGuid().ToString("N")[..8];

    /// <summary>The service's CPU time so far (zero when its process is unknown).</summary>
    public TimeSpan CpuTime => ProcessId is { } pid ? ProcessStats.CpuTime(pid) : TimeSpan.Zero;

    /// <summary>The service's CPU time per request since <paramref name="before"/>, for the notes.</summary>
    public string CpuPerRequest(TimeSpan before, long requests) => ProcessId is null || requests == 0
        ? "service CPU not read (no --pid)"
        : string.Create(CultureInfo.InvariantCulture, $"service CPU {(CpuTime - before).TotalMilliseconds / requests:0.000} ms per request");

    /// <summary>The service's process, when known (started here, or given), for its memory.</summary>
    public int? ProcessId { get; }

    public static async Task<Target> OpenAsync(Options options)
    {
        if (options.Url is { } url)
        {
            return new Target(new Uri(url), options.Key ?? throw new ArgumentException("--key is required with --url"), options.Pid, null, options.Connections);
        }
        var service = await ServiceProcess.StartAsync(new Dictionary<string, string>
        {
            ["Accountant__Sqlite__Synchronous"] = options.Synchronous,
            ["Accountant__RateLimit__TokenLimit"] = "1000000000",
            ["Accountant__RateLimit__TokensPerPeriod"] = "1000000000",
            ["Accountant__DefaultBudget__Epsilon"] = "1000000",
        }).ConfigureAwait(false);
        return new Target(service.BaseAddress, service.AdminKey ?? throw new InvalidOperationException("no admin key"), service.ProcessId, service, options.Connections);
    }

    /// <summary>Posts a JSON body, failing on any status but 2xx.</summary>
    public async Task PostAsync(string path, byte[] body, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        using var response = await Client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
        }
    }

    public Task PostAsync(string path, object body) => PostAsync(path, JsonSerializer.SerializeToUtf8Bytes(body));

    /// <summary>A cohort of <paramref name="size"/> fresh units named after it.</summary>
    public async Task<string[]> CohortAsync(string id, int size)
    {
        string[] members = [.. Enumerable.Range(0, size).Select(i => string.Create(CultureInfo.InvariantCulture, $"{id}-{i:D7}"))];
        await PostAsync("v1/cohorts", new { id, unitKind = "example", members }).ConfigureAwait(false);
        return members;
    }

    /// <summary>A long DP-SGD task on the cohort: a million planned steps, so no quota ends a run.</summary>
    public Task TaskAsync(string id, string cohort) =>
        PostAsync("v1/tasks", new
        {
            id, cohort, unitKind = "example", relation = "addOrRemoveOne",
            plan = new { steps = 1_000_000, sampling = "poisson", samplingRate = 0.001 },
            target = new { type = "epsilonDelta", epsilon = 8, delta = 1e-5 },
            clipNorm = 1.0,
        });

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (_owned is not null)
        {
            await _owned.DisposeAsync().ConfigureAwait(false);
        }
    }
}
