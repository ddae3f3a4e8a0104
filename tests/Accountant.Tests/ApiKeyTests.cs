using System.Net;
using System.Text;
using System.Text.Json;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.TestSupport;

namespace Accounting.Accountant.Tests;

/// <summary>API keys: the bootstrap admin key, the keys command, hashes at rest, revocation, the ledger's actor, the development switch.</summary>
public class ApiKeyTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task The_bootstrap_admin_key_is_written_owner_only_works_and_survives_a_restart()
    {
        await using var service = await ServiceProcess.StartAsync();
        var path = service.BootstrapKeyPath;
        Assert.True(File.Exists(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        var key = (await File.ReadAllTextAsync(path)).Trim();
        Assert.Matches("^ak_[0-9a-f]{16}\\.[A-Za-z0-9_-]{43}$", key);
        using (var admin = service.As(key))
        {
            var listed = Assert.Single(await admin.GetAsync<KeyResponse[]>("v1/keys"));
            Assert.Equal((Keys.IdOf(key), "bootstrap", KeyRole.Admin, "system"), (listed.Id, listed.Name, listed.Role, listed.CreatedBy));
        }

        // An admin key exists now: a restart keeps it and writes no other.
        await service.StopAsync();
        await service.StartAgainAsync();
        Assert.Equal(key, (await File.ReadAllTextAsync(path)).Trim());
        using var again = service.As(key);
        Assert.Single(await again.GetAsync<KeyResponse[]>("v1/keys"));
    }

    [Fact]
    public async Task The_keys_command_creates_a_working_key_in_the_database()
    {
        var (exit, output, error) = await fixture.Service.RunCommandAsync("keys", "create", "--role", "trainer", "--name", "alice");
        Assert.True(exit == 0, error);
        var key = output.Trim();
        Assert.Matches("^ak_[0-9a-f]{16}\\.[A-Za-z0-9_-]{43}$", key); // the key alone on standard output
        Assert.DoesNotContain(key, error, StringComparison.Ordinal);

        using var alice = fixture.Service.As(key);
        Assert.Equal("by-alice", (await alice.CohortAsync("by-alice", ["alice-unit"])).Id);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.RawAsync(HttpMethod.Get, "v1/keys", null)).Status);
        using var admin = fixture.NewApi();
        var listed = (await admin.GetAsync<KeyResponse[]>("v1/keys")).Single(k => k.Id == Keys.IdOf(key));
        Assert.Equal(("alice", KeyRole.Trainer, "system"), (listed.Name, listed.Role, listed.CreatedBy));

        Assert.Equal(2, (await fixture.Service.RunCommandAsync("keys", "create", "--role", "owner", "--name", "bob")).ExitCode);
        Assert.Equal(2, (await fixture.Service.RunCommandAsync("keys", "create", "--role", "trainer")).ExitCode);
    }

    [Fact]
    public async Task Keys_are_stored_as_hashes_and_never_as_themselves()
    {
        using var admin = fixture.NewApi();
        var created = await admin.CreateKeyAsync("hashed", KeyRole.Auditor);
        string[] keys = [fixture.Service.AdminKey!, created.Key];

        using (var connection = ServiceDatabase.Open(fixture.Service))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, hash FROM api_keys";
            using var reader = command.ExecuteReader();
            var hashes = new Dictionary<string, byte[]>();
            while (reader.Read())
            {
                hashes[reader.GetString(0)] = (byte[])reader[1];
            }
            foreach (var key in keys)
            {
                var hash = hashes[Keys.IdOf(key)];
                Assert.Equal(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key)), hash);
                Assert.False(Contains(hash, Encoding.UTF8.GetBytes(key.Split('.')[1])));
            }
        }
        // Nor anywhere else in the database's files, the write-ahead log included (PostgreSQL's files are its server's).
        if (fixture.Service.PostgresConnectionString is not null)
        {
            return;
        }
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(fixture.Service.DatabasePath)!, "accounting.db*"))
        {
            var bytes = await ReadSharedAsync(file);
            foreach (var key in keys)
            {
                Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(key.Split('.')[1])), $"{file} holds a key's secret");
            }
        }
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once_and_the_last_admin_key_stays()
    {
        using var admin = fixture.NewApi();
        var created = await admin.CreateKeyAsync("short-lived", KeyRole.Trainer);
        using var trainer = fixture.Service.As(created.Key);
        // Let in: the cohort just does not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await trainer.RawAsync(HttpMethod.Get, "v1/cohorts/none", null)).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.RawAsync(HttpMethod.Delete, $"v1/keys/{created.Id}", null)).Status);
        var (status, problem, response) = await trainer.RawAsync(HttpMethod.Get, "v1/cohorts/none", null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("urn:accounting:problem:unauthenticated", problem.GetProperty("type").GetString());
        Assert.Equal("Bearer realm=\"accounting\", error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.NotNull((await admin.GetAsync<KeyResponse[]>("v1/keys")).Single(k => k.Id == created.Id).RevokedAt);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.RawAsync(HttpMethod.Delete, $"v1/keys/{created.Id}", null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.RawAsync(HttpMethod.Delete, "v1/keys/ak_0000000000000000", null)).Status);

        // An admin key may go while another remains; the last one stays, or nobody could manage keys.
        var second = await admin.CreateKeyAsync("second admin", KeyRole.Admin);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.RawAsync(HttpMethod.Delete, $"v1/keys/{second.Id}", null)).Status);
        var last = await admin.RawAsync(HttpMethod.Delete, $"v1/keys/{Keys.IdOf(fixture.Service.AdminKey!)}", null);
        Assert.Equal(HttpStatusCode.Conflict, last.Status);
        Assert.Equal(HttpStatusCode.OK, (await admin.RawAsync(HttpMethod.Get, "v1/keys", null)).Status);
    }

    [Fact]
    public async Task The_ledger_names_the_key_of_each_caller_as_its_actor()
    {
        using var admin = fixture.NewApi();
        var trainerKey = await admin.CreateKeyAsync("ledger trainer", KeyRole.Trainer);
        using var trainer = fixture.Service.As(trainerKey.Key);
        await trainer.CohortAsync("actors", Builders.UnitIds("actors", 5));
        await trainer.DpSgdTaskAsync("actors-task", "actors", steps: 10, samplingRate: 0.2, epsilon: 2);
        await trainer.ChargeAsync("actors-task", 0);
        await admin.PutAsync<UnitResponse>("v1/units/actors-00001/budget", new UnitBudgetRequest(3, 1e-6, null));

        var entries = (await admin.Client.GetStringAsync("v1/audit/ledger")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement).ToList();
        string ActorOf(string kind, Func<JsonElement, bool> which) =>
            entries.Single(e => e.GetProperty("kind").GetString() == kind && which(e.GetProperty("payload"))).GetProperty("actor").GetString()!;
        var adminId = Keys.IdOf(fixture.Service.AdminKey!);
        Assert.Equal(trainerKey.Id, ActorOf("cohortCreated", p => p.GetProperty("cohort").GetString() == "actors"));
        Assert.Equal(trainerKey.Id, ActorOf("taskCreated", p => p.GetProperty("task").GetString() == "actors-task"));
        Assert.Equal(trainerKey.Id, ActorOf("charge", p => p.GetProperty("task").GetString() == "actors-task"));
        Assert.Equal(adminId, ActorOf("unitBudgetSet", p => p.GetProperty("unit").GetString() == "actors-00001"));
        Assert.Equal(adminId, ActorOf("keyCreated", p => p.GetProperty("key").GetString() == trainerKey.Id));
        Assert.Equal("system", ActorOf("keyCreated", p => p.GetProperty("key").GetString() == adminId));
        Assert.DoesNotContain(entries, e => e.GetRawText().Contains(trainerKey.Key.Split('.')[1], StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_authentication_off_requests_need_no_key_and_act_as_development()
    {
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string> { ["Accountant__Auth__Enabled"] = "false" });
        Assert.False(File.Exists(service.BootstrapKeyPath));
        Assert.Null(service.AdminKey);
        using var anyone = service.As(null);
        await anyone.CohortAsync("open", ["open-1"]);
        Assert.Equal(2, (await anyone.PutAsync<UnitResponse>("v1/units/open-1/budget", new UnitBudgetRequest(2, 1e-6, null))).Budget.Epsilon);
        var ledger = await anyone.Client.GetStringAsync("v1/audit/ledger");
        Assert.All(ledger.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement),
            entry => Assert.True(entry.GetProperty("actor").GetString() is "development" or "system"));
        Assert.Contains("\"actor\":\"development\"", ledger, StringComparison.Ordinal);
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
