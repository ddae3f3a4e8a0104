using System.Net;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.TestSupport;
using static Accounting.Accountant.Tests.AuthorizationMatrixTests.Caller;

namespace Accounting.Accountant.Tests;

/// <summary>
/// Every endpoint the service maps, called by every kind of caller: the answer is 401, 403, 404 or allowed as the
/// matrix of issue 5 says. The endpoints are read from the built application, so a new endpoint without a row here
/// fails this test.
/// </summary>
public class AuthorizationMatrixTests
{
    public enum Caller { NoKey, Malformed, WrongSecret, Revoked, Admin, Trainer, OtherTrainer, Auditor }

    private const string Task = "matrix-task";
    private const string Unit = "matrix-00001";
    private const string Cohort = "matrix";

    private static readonly Caller[] Everyone = [Admin, Trainer, OtherTrainer, Auditor];
    private static readonly Caller[] Admins = [Admin];
    private static readonly Caller[] AdminsAuditors = [Admin, Auditor];
    private static readonly Caller[] AdminsTrainers = [Admin, Trainer, OtherTrainer];

    // The matrix of issue 5, written out independently of the service's own table (Auth/Permissions.cs). Null roles:
    // open to anyone, with or without a key. Task routes: a trainer reaches its own tasks only; another trainer's
    // answer 404.
    private static readonly Dictionary<string, Caller[]?> Matrix = new()
    {
        ["GET /healthz"] = null,
        ["POST /v1/accounting/epsilon"] = Everyone,
        ["POST /v1/accounting/delta"] = Everyone,
        ["POST /v1/accounting/calibrate"] = Everyone,
        ["GET /v1/budgets/default/{unitKind}"] = AdminsAuditors,
        ["PUT /v1/budgets/default/{unitKind}"] = Admins,
        ["POST /v1/units"] = AdminsTrainers,
        ["GET /v1/units/{id}"] = AdminsAuditors,
        ["PUT /v1/units/{id}/budget"] = Admins,
        ["POST /v1/cohorts"] = AdminsTrainers,
        ["GET /v1/cohorts/{id}"] = Everyone,
        ["POST /v1/cohorts/{id}/members"] = AdminsTrainers,
        ["POST /v1/tasks"] = AdminsTrainers,
        ["GET /v1/tasks/{id}"] = Everyone,
        ["GET /v1/tasks/{id}/exclusions"] = Everyone,
        ["POST /v1/tasks/{id}/charges"] = AdminsTrainers,
        ["POST /v1/tasks/{id}/complete"] = AdminsTrainers,
        ["POST /v1/tasks/{id}/cancel"] = AdminsTrainers,
        ["GET /v1/audit/ledger"] = AdminsAuditors,
        ["GET /v1/audit/head"] = AdminsAuditors,
        ["GET /metrics"] = AdminsAuditors,
        ["POST /v1/keys"] = Admins,
        ["GET /v1/keys"] = Admins,
        ["DELETE /v1/keys/{id}"] = Admins,
    };

    [Fact]
    public async Task Every_endpoint_answers_every_caller_as_the_matrix_says()
    {
        var endpoints = await ServiceEndpoints.ListAsync();
        Assert.Empty(endpoints.Except(Matrix.Keys)); // an endpoint without a row
        Assert.Empty(Matrix.Keys.Except(endpoints)); // a row without an endpoint

        await using var service = await ServiceProcess.StartAsync();
        var keys = await KeysAsync(service);
        using (var trainer = service.As(keys[Trainer]))
        {
            await trainer.CohortAsync(Cohort, Builders.UnitIds("matrix", 5));
            await trainer.DpSgdTaskAsync(Task, Cohort, steps: 100, samplingRate: 0.1, epsilon: 5);
        }

        var failures = new List<string>();
        foreach (var endpoint in endpoints)
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                var (status, type, challenge) = await CallAsync(service, keys[caller], endpoint);
                var expected = Expected(endpoint, caller);
                var ok = expected switch
                {
                    HttpStatusCode.Unauthorized => status == expected && type == "urn:accounting:problem:unauthenticated" && challenge,
                    HttpStatusCode.Forbidden => status == expected && type == "urn:accounting:problem:forbidden",
                    HttpStatusCode.NotFound => status == expected && type == "urn:accounting:problem:not-found",
                    // Allowed: whatever the (placeholder) request deserves, but never refused for who sent it, nor hidden,
                    // nor a server error.
                    _ => (int)status < 500 && status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                        && (status != HttpStatusCode.NotFound || !endpoint.Contains("/v1/tasks/{id}", StringComparison.Ordinal)),
                };
                if (!ok)
                {
                    failures.Add($"{endpoint} as {caller}: {(int)status} {type}, expected {(expected is { } e ? (int)e : "allowed")}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    // The expected status, or null for "allowed".
    private static HttpStatusCode? Expected(string endpoint, Caller caller) => Matrix[endpoint] switch
    {
        null => null,
        _ when caller is NoKey or Malformed or WrongSecret or Revoked => HttpStatusCode.Unauthorized,
        var roles when !roles.Contains(caller) => HttpStatusCode.Forbidden,
        _ when caller == OtherTrainer && endpoint.Contains("/v1/tasks/{id}", StringComparison.Ordinal) => HttpStatusCode.NotFound,
        _ => null,
    };

    private static async Task<(HttpStatusCode Status, string? Type, bool Challenge)> CallAsync(ServiceProcess service, string? key, string endpoint)
    {
        var method = endpoint.Split(' ')[0];
        var path = endpoint.Split(' ')[1].TrimStart('/')
            .Replace("{unitKind}", "example", StringComparison.Ordinal)
            .Replace("tasks/{id}", $"tasks/{Task}", StringComparison.Ordinal)
            .Replace("units/{id}", $"units/{Unit}", StringComparison.Ordinal)
            .Replace("cohorts/{id}", $"cohorts/{Cohort}", StringComparison.Ordinal)
            .Replace("keys/{id}", "keys/ak_0000000000000000", StringComparison.Ordinal); // no such key: nothing is revoked
        // Placeholder bodies change nothing, except a valid charge of step 0 (replayed after the first).
        var body = method is "POST" or "PUT" ? (path.EndsWith("/charges", StringComparison.Ordinal) ? """{"step": 0}""" : "{}") : null;
        using var api = service.As(key);
        var (status, problem, response) = await api.RawAsync(new HttpMethod(method), path, body);
        var type = problem.ValueKind == System.Text.Json.JsonValueKind.Object && problem.TryGetProperty("type", out var t) ? t.GetString() : null;
        return (status, type, response.Headers.WwwAuthenticate.Any(h => h.Scheme == "Bearer"));
    }

    private static async Task<Dictionary<Caller, string?>> KeysAsync(ServiceProcess service)
    {
        using var admin = service.As(service.AdminKey);
        var revoked = await admin.CreateKeyAsync("revoked", KeyRole.Trainer);
        await admin.RawAsync(HttpMethod.Delete, $"v1/keys/{revoked.Id}", null);
        return new Dictionary<Caller, string?>
        {
            [NoKey] = null,
            [Malformed] = "not-a-key",
            [WrongSecret] = $"{Keys.IdOf(service.AdminKey!)}.{new string('A', 43)}",
            [Revoked] = revoked.Key,
            [Admin] = service.AdminKey,
            [Trainer] = (await admin.CreateKeyAsync("trainer", KeyRole.Trainer)).Key,
            [OtherTrainer] = (await admin.CreateKeyAsync("other trainer", KeyRole.Trainer)).Key,
            [Auditor] = (await admin.CreateKeyAsync("auditor", KeyRole.Auditor)).Key,
        };
    }
}
