using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Accounting.TestSupport;

/// <summary>
/// A real PostgreSQL server on 127.0.0.1 for the tests: the one <c>.ci/run</c> started (its address in
/// <c>ACCOUNTING_TEST_POSTGRES</c>, e.g. <c>Host=127.0.0.1;Port=5432;Username=accounting</c>), or else a throwaway
/// cluster this process creates with the installed binaries and stops when it exits.
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);
    private readonly string _server;
    private int _databases;

    private PostgresServer(string server) => _server = server.TrimEnd(';');

    /// <summary>The server, started on first use.</summary>
    public static Task<PostgresServer> GetAsync() => Shared.Value;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"accounting_test_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        var settings = Settings(_server);
        await RunAsync(Binary("createdb"), ["-h", settings["Host"], "-p", settings["Port"], "-U", settings["Username"], name], asOwner: false).ConfigureAwait(false);
        return $"{_server};Database={name}";
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing the connections still open to it.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var server = Settings(_server);
        await RunAsync(Binary("dropdb"), ["--force", "-h", server["Host"], "-p", server["Port"], "-U", server["Username"], Settings(connectionString)["Database"]], asOwner: false)
            .ConfigureAwait(false);
    }

    private static Dictionary<string, string> Settings(string connectionString) =>
        connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2)).ToDictionary(kv => kv[0].Trim(), kv => kv[1].Trim(), StringComparer.OrdinalIgnoreCase);

    private static async Task<PostgresServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("ACCOUNTING_TEST_POSTGRES") is { Length: > 0 } given)
        {
            return new PostgresServer(given);
        }
        var data = Directory.CreateTempSubdirectory("accounting-pg-").FullName;
        var port = FreePort();
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", ["postgres", data], asOwner: false).ConfigureAwait(false); // initdb refuses to run as root
        }
        await RunAsync(Binary("initdb"), ["-D", data, "-U", "accounting", "-A", "trust", "--no-sync"], asOwner: true).ConfigureAwait(false);
        await RunAsync(Binary("pg_ctl"),
            ["-D", data, "-l", Path.Combine(data, "server.log"), "-w", "-o", $"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c max_connections=300", "start"],
            asOwner: true).ConfigureAwait(false);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            RunAsync(Binary("pg_ctl"), ["-D", data, "-m", "immediate", "stop"], asOwner: true).GetAwaiter().GetResult();
        return new PostgresServer($"Host=127.0.0.1;Port={port};Username=accounting");
    }

    // The newest installed server's binaries (Debian keeps them out of PATH, under /usr/lib/postgresql/<version>/bin).
    private static string Binary(string name)
    {
        IEnumerable<string> candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", name)).Where(File.Exists)
                .OrderByDescending(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out var v) ? v : 0)
            : [];
        return candidates.FirstOrDefault() ?? throw new InvalidOperationException(
            $"PostgreSQL's {name} was not found: install the postgresql package (as .ci/run does) or set ACCOUNTING_TEST_POSTGRES");
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asOwner)
    {
        var start = asOwner && Environment.IsPrivilegedProcess
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", file, .. arguments])
            : new ProcessStartInfo(file, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error.ConfigureAwait(false)}{await output.ConfigureAwait(false)}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
