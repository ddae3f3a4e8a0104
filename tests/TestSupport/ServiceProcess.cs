using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Accounting.TestSupport;

/// <summary>
/// The real service in its own process, on Kestrel at 127.0.0.1, with its own database: what a trainer talks to.
/// It can be stopped, killed and started again on the same database. The database is a SQLite file, or — in a test
/// assembly whose runtime configuration sets the switch <c>Accounting.TestSupport.Postgres</c> — a fresh database on
/// the <see cref="PostgresServer"/>.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly bool OnPostgres = AppContext.TryGetSwitch("Accounting.TestSupport.Postgres", out var on) && on;
    private readonly Dictionary<string, string> _settings;
    private Process? _process;

    private ServiceProcess(string databasePath, string? postgres, IReadOnlyDictionary<string, string>? settings)
    {
        DatabasePath = databasePath;
        PostgresConnectionString = postgres;
        // On PostgreSQL the SQLite path is unused but still places the bootstrap key file, in the temporary directory.
        _settings = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["Accountant__Sqlite__Path"] = databasePath,
        };
        if (postgres is not null)
        {
            _settings["Accountant__Storage__Provider"] = "postgres";
            _settings["Accountant__Postgres__ConnectionString"] = postgres;
        }
    }

    /// <summary>The service's SQLite file (unused on PostgreSQL, where it only names the directory of the key file).</summary>
    public string DatabasePath { get; }

    /// <summary>The service's PostgreSQL database, or null when it runs on its SQLite file.</summary>
    public string? PostgresConnectionString { get; }

    /// <summary>Where the service writes its bootstrap admin key (its default: next to the database).</summary>
    public string BootstrapKeyPath => Path.Combine(Path.GetDirectoryName(DatabasePath)!, "admin.key");

    /// <summary>The bootstrap admin key, read from its file once the service is up (null with authentication off).</summary>
    public string? AdminKey { get; private set; }

    /// <summary>The service's process id while running (to read its memory use from /proc).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("the service is not running");

    /// <summary>The base address while running.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Starts a service on a fresh database in a temporary directory.</summary>
    public static async Task<ServiceProcess> StartAsync(IReadOnlyDictionary<string, string>? settings = null) =>
        (await StartReplicasAsync(1, settings).ConfigureAwait(false))[0];

    /// <summary>
    /// Starts <paramref name="count"/> services at once on one fresh database, sharing its directory and so the
    /// bootstrap key file: replicas, each its own process.
    /// </summary>
    public static async Task<ServiceProcess[]> StartReplicasAsync(int count, IReadOnlyDictionary<string, string>? settings = null)
    {
        var directory = Directory.CreateTempSubdirectory("accounting-test-");
        var postgres = OnPostgres ? await (await PostgresServer.GetAsync().ConfigureAwait(false)).CreateDatabaseAsync().ConfigureAwait(false) : null;
        var services = Enumerable.Range(0, count)
            .Select(_ => new ServiceProcess(Path.Combine(directory.FullName, "accounting.db"), postgres, settings)).ToArray();
        await Task.WhenAll(services.Select(s => s.StartAgainAsync())).ConfigureAwait(false);
        return services;
    }

    /// <summary>An HTTP client for the running service, acting as its admin.</summary>
    public HttpClient CreateClient() => CreateClient(AdminKey);

    /// <summary>An HTTP client for the running service that sends <paramref name="apiKey"/> (none when null).</summary>
    public HttpClient CreateClient(string? apiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        return client;
    }

    /// <summary>Runs the service's program with <paramref name="args"/> (e.g. <c>keys create …</c>) on this database, to its end.</summary>
    public async Task<(int ExitCode, string Output, string Error)> RunCommandAsync(params string[] args)
    {
        using var process = Process.Start(Start([ServiceAssembly(), .. args])) ?? throw new InvalidOperationException("the command did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            process.Kill();
            throw;
        }
        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    /// <summary>Starts the service (again) on the same database, on a new port.</summary>
    public async Task StartAgainAsync()
    {
        // A port found free can be taken by another test's service or connection before this one binds it; the
        // service then exits, and starting it on another port is all it takes.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartOnFreePortAsync().ConfigureAwait(false);
                return;
            }
            catch (ServiceExitedException) when (attempt < 3)
            {
                _process?.Dispose();
            }
        }
    }

    private async Task StartOnFreePortAsync()
    {
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _process = Process.Start(Start([ServiceAssembly(), "--urls", BaseAddress.ToString().TrimEnd('/')]))
            ?? throw new InvalidOperationException("the service did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var authentication = !(_settings.TryGetValue("Accountant__Auth__Enabled", out var enabled) && enabled == "false");
        using var client = CreateClient(apiKey: null); // /healthz is open
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (_process.HasExited)
            {
                throw new ServiceExitedException($"the service exited with code {_process.ExitCode}");
            }
            try
            {
                // The key file is written before the service listens: an answer without it, with authentication on,
                // came from another process on this port (one CI run read no key and failed its first request
                // with a 401), and this service will exit when it cannot bind.
                if ((await client.GetAsync("healthz").ConfigureAwait(false)).IsSuccessStatusCode && (!authentication || File.Exists(BootstrapKeyPath)))
                {
                    AdminKey = authentication ? (await File.ReadAllTextAsync(BootstrapKeyPath).ConfigureAwait(false)).Trim() : null;
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
        throw new TimeoutException("the service did not become healthy within 30 s");
    }

    /// <summary>Stops the service the way an operator would (SIGTERM), waiting for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            Signal(process.Id, "TERM");
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Kills the service at once (SIGKILL): no shutdown code runs.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit();
        }
        _process?.Dispose();
        _process = null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.Yield();
        try
        {
            Directory.Delete(Path.GetDirectoryName(DatabasePath)!, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp directory
        }
    }

    private ProcessStartInfo Start(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in _settings)
        {
            start.Environment[key] = value;
        }
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return start;
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The service's own build output, next to the test assembly's (same configuration and framework).</summary>
    public static string ServiceAssembly()
    {
        var here = AppContext.BaseDirectory; // …/tests/<Project>/bin/<Configuration>/<tfm>/
        var tfm = new DirectoryInfo(here).Name;
        var configuration = new DirectoryInfo(here).Parent!.Name;
        var root = new DirectoryInfo(here).Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(root, "src", "Accountant", "bin", configuration, tfm, "Accounting.Accountant.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("build the solution first", path);
    }
}

/// <summary>The service's process ended while it was starting.</summary>
public sealed class ServiceExitedException(string message) : InvalidOperationException(message);
