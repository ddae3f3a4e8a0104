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
    private readonly ServiceProcess[] _owned;
    private readonly HttpClient[] _clients;
    private int _next;

    private Target(Uri[] baseAddresses, string apiKey, int[] processIds, ServiceProcess[] owned, int connections)
    {
        _owned = owned;
        ProcessIds = processIds;
        _clients = [.. baseAddresses.Select(baseAddress => new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromMinutes(10),
            DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", apiKey) },
        })];
    }

    /// <summary>A client of the next replica (round-robin per request); the only one when there is one service.</summary>
    private HttpClient NextClient() => _clients[(int)((uint)Interlocked.Increment(ref _next) % (uint)_clients.Length)];

    /// <summary>Prefix of every id this run creates, so that runs against one service do not collide.</summary>
    public string Run { get; } = Guid.NewGuid().ToString("N")[..8];

    // The SQLite store's one writer thread ("sqlite-group-commit", GroupCommit) as Linux names it: it bounds per-unit
    // charges, so its share of the CPU is reported beside the service's.
    private const string WriterThread = "sqlite-group-co";

    /// <summary>
    /// The service's CPU time so far, and its writer thread's, summed over its replicas (zero when its processes are
    /// unknown; the writer's zero on PostgreSQL, which has none).
    /// </summary>
    public (TimeSpan Service, TimeSpan Writer) CpuTime => ProcessIds.Aggregate(
        (TimeSpan.Zero, TimeSpan.Zero), (sum, pid) => (sum.Item1 + ProcessStats.CpuTime(pid), sum.Item2 + ProcessStats.ThreadCpuTime(pid, WriterThread)));

    /// <summary>The service's CPU time per request since <paramref name="before"/>, and its writer thread's, for the notes.</summary>
    public string CpuPerRequest((TimeSpan Service, TimeSpan Writer) before, long requests)
    {
        if (ProcessIds.Length == 0 || requests == 0)
        {
            return "service CPU not read (no --pid)";
        }
        var (service, writer) = CpuTime;
        var replicas = ProcessIds.Length > 1 ? $" (sum over {ProcessIds.Length} replicas)" : "";
        var onWriter = writer > TimeSpan.Zero
            ? string.Create(CultureInfo.InvariantCulture, $", {(writer - before.Writer).TotalMilliseconds / requests:0.000} ms of it on the writer thread")
            : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"service CPU {(service - before.Service).TotalMilliseconds / requests:0.000} ms per request{replicas}{onWriter}");
    }

    /// <summary>The service's processes, when known (started here, or given), for their CPU time and memory.</summary>
    public int[] ProcessIds { get; }

    public static async Task<Target> OpenAsync(Options options)
    {
        if (options.Url is { } url)
        {
            return new Target([new Uri(url)], options.Key ?? throw new ArgumentException("--key is required with --url"),
                options.Pid is { } pid ? [pid] : [], [], options.Connections);
        }
        // On PostgreSQL (Program sets ServiceProcess's switch) the replicas share one fresh database and the admin key.
        var services = await ServiceProcess.StartReplicasAsync(options.Replicas, new Dictionary<string, string>
        {
            ["Accountant__Sqlite__Synchronous"] = options.Synchronous,
            ["Accountant__RateLimit__TokenLimit"] = "1000000000",
            ["Accountant__RateLimit__TokensPerPeriod"] = "1000000000",
            ["Accountant__DefaultBudget__Epsilon"] = "1000000",
        }).ConfigureAwait(false);
        return new Target([.. services.Select(s => s.BaseAddress)], services[0].AdminKey ?? throw new InvalidOperationException("no admin key"),
            [.. services.Select(s => s.ProcessId)], services, options.Connections);
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
        using var response = await NextClient().SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
        }
    }

    /// <summary>
    /// Charges answered 2xx so far, in all and within 10 ms of their arrival, summed over the replicas' <c>/metrics</c>
    /// (the service's own request-duration histogram): the part of the latency the service itself spent.
    /// </summary>
    public async Task<(long All, long Within10Ms)> ChargesAnsweredAsync()
    {
        const string Series = "accounting_http_request_duration_seconds_bucket{method=\"POST\",route=\"/v1/tasks/{id}/charges\",status_class=\"2xx\",";
        var (all, within) = (0L, 0L);
        foreach (var client in _clients)
        {
            foreach (var line in (await client.GetStringAsync("metrics").ConfigureAwait(false)).Split('\n'))
            {
                if (line.StartsWith(Series + "le=\"+Inf\"}", StringComparison.Ordinal))
                {
                    all += Count(line);
                }
                else if (line.StartsWith(Series + "le=\"0.01\"}", StringComparison.Ordinal))
                {
                    within += Count(line);
                }
            }
        }
        return (all, within);

        static long Count(string line) => long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    public Task PostAsync(string path, object body) => PostAsync(path, JsonSerializer.SerializeToUtf8Bytes(body));

    /// <summary>A cohort of <paramref name="size"/> fresh units named after it and numbered, or random GUIDs.</summary>
    public async Task<string[]> CohortAsync(string id, int size, bool randomIds = false)
    {
        string[] members = [.. Enumerable.Range(0, size).Select(i => randomIds ? Guid.NewGuid().ToString() : string.Create(CultureInfo.InvariantCulture, $"{id}-{i:D7}"))];
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
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        foreach (var service in _owned)
        {
            await service.DisposeAsync().ConfigureAwait(false);
        }
    }
}
