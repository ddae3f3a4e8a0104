using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Accounting.Accountant.Contracts;
using Accounting.Mechanisms.Events;

namespace Accounting.TrainerAdapters.Client;

/// <summary>
/// A typed client for every endpoint of the accountant. Register it with
/// <see cref="ServiceCollectionExtensions.AddAccountantClient"/> so that transient failures are retried; charges carry
/// the Idempotency-Key <c>{task}/{step}</c>, so a retried charge is replayed by the service, never charged twice.
/// Problems come back as <see cref="AccountantProblemException"/> (or a subclass for the ones a trainer acts on).
/// </summary>
public sealed class AccountantClient(HttpClient http)
{
    // Strict on what it sends, lenient on what it reads: a newer service may add members to its answers.
    private static readonly JsonSerializerOptions Json = new(EventJson.Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip };

    /// <summary>ε of an event at δ (stateless).</summary>
    public Task<EpsilonResponse> EpsilonAsync(EpsilonRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<EpsilonResponse>(HttpMethod.Post, "v1/accounting/epsilon", request, null, cancellationToken);

    /// <summary>δ of an event at ε (stateless).</summary>
    public Task<DeltaResponse> DeltaAsync(DeltaRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<DeltaResponse>(HttpMethod.Post, "v1/accounting/delta", request, null, cancellationToken);

    /// <summary>The smallest σ for a plan and target (stateless).</summary>
    public Task<CalibrateResponse> CalibrateAsync(CalibrateRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<CalibrateResponse>(HttpMethod.Post, "v1/accounting/calibrate", request, null, cancellationToken);

    /// <summary>A unit kind's default lifetime budget.</summary>
    public Task<BudgetDto> GetDefaultBudgetAsync(UnitKind unitKind, CancellationToken cancellationToken = default) =>
        SendAsync<BudgetDto>(HttpMethod.Get, $"v1/budgets/default/{Name(unitKind)}", null, null, cancellationToken);

    /// <summary>Sets a unit kind's default lifetime budget.</summary>
    public Task<BudgetDto> SetDefaultBudgetAsync(UnitKind unitKind, BudgetDto policy, CancellationToken cancellationToken = default) =>
        SendAsync<BudgetDto>(HttpMethod.Put, $"v1/budgets/default/{Name(unitKind)}", policy, null, cancellationToken);

    /// <summary>Registers units in bulk.</summary>
    public Task<RegisterUnitsResponse> RegisterUnitsAsync(RegisterUnitsRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<RegisterUnitsResponse>(HttpMethod.Post, "v1/units", request, null, cancellationToken);

    /// <summary>A unit's budget, spend and history.</summary>
    public Task<UnitResponse> GetUnitAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<UnitResponse>(HttpMethod.Get, $"v1/units/{Escape(id)}", null, null, cancellationToken);

    /// <summary>Gives a unit its own lifetime budget.</summary>
    public Task<UnitResponse> SetUnitBudgetAsync(string id, UnitBudgetRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<UnitResponse>(HttpMethod.Put, $"v1/units/{Escape(id)}/budget", request, null, cancellationToken);

    /// <summary>Creates a cohort.</summary>
    public Task<CohortResponse> CreateCohortAsync(CreateCohortRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<CohortResponse>(HttpMethod.Post, "v1/cohorts", request, null, cancellationToken);

    /// <summary>A cohort.</summary>
    public Task<CohortResponse> GetCohortAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<CohortResponse>(HttpMethod.Get, $"v1/cohorts/{Escape(id)}", null, null, cancellationToken);

    /// <summary>Adds a batch of members to a cohort (existing members are skipped, so a retry is harmless).</summary>
    public Task<AddMembersResponse> AddMembersAsync(string cohortId, AddMembersRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<AddMembersResponse>(HttpMethod.Post, $"v1/cohorts/{Escape(cohortId)}/members", request, null, cancellationToken);

    /// <summary>Creates a task and gets its calibrated noise.</summary>
    public Task<TaskResponse> CreateTaskAsync(CreateTaskRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<TaskResponse>(HttpMethod.Post, "v1/tasks", request, null, cancellationToken);

    /// <summary>A task's calibration and progress; resume at its <c>NextStep</c>.</summary>
    public Task<TaskResponse> GetTaskAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<TaskResponse>(HttpMethod.Get, $"v1/tasks/{Escape(id)}", null, null, cancellationToken);

    /// <summary>
    /// Charges a step before its update, keyed <c>{task}/{step}</c> so that retries are replayed, not charged again.
    /// Throws <see cref="QuotaExhaustedException"/> when the quota refuses the step, <see cref="TaskClosedException"/>
    /// when the task takes no charges.
    /// </summary>
    public Task<ChargeResponse> ChargeAsync(
        string taskId, long step, PrivacyEvent? privacyEvent = null, IReadOnlyList<UnitSensitivity>? sensitivities = null,
        CancellationToken cancellationToken = default) =>
        SendAsync<ChargeResponse>(
            HttpMethod.Post, $"v1/tasks/{Escape(taskId)}/charges", new ChargeRequest(step, privacyEvent, sensitivities),
            $"{taskId}/{step}", cancellationToken);

    /// <summary>Marks a task completed.</summary>
    public Task<TaskResponse> CompleteTaskAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<TaskResponse>(HttpMethod.Post, $"v1/tasks/{Escape(id)}/complete", null, null, cancellationToken);

    /// <summary>Cancels a task.</summary>
    public Task<TaskResponse> CancelTaskAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<TaskResponse>(HttpMethod.Post, $"v1/tasks/{Escape(id)}/cancel", null, null, cancellationToken);

    /// <summary>Every unit excluded from a task, read page by page.</summary>
    public async IAsyncEnumerable<string> ExclusionsAsync(
        string taskId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? after = null;
        do
        {
            var query = after is null ? "" : $"?after={Escape(after)}";
            var page = await SendAsync<ExclusionsResponse>(HttpMethod.Get, $"v1/tasks/{Escape(taskId)}/exclusions{query}", null, null, cancellationToken).ConfigureAwait(false);
            foreach (var unit in page.Units)
            {
                yield return unit;
            }
            after = page.Next;
        }
        while (after is not null);
    }

    /// <summary>Creates an API key (admin keys only); the answer holds the key, shown this once.</summary>
    public Task<CreatedKeyResponse> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<CreatedKeyResponse>(HttpMethod.Post, "v1/keys", request, null, cancellationToken);

    /// <summary>Every API key, without secrets (admin keys only).</summary>
    public Task<IReadOnlyList<KeyResponse>> ListKeysAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<KeyResponse>>(HttpMethod.Get, "v1/keys", null, null, cancellationToken);

    /// <summary>Revokes an API key by id (admin keys only).</summary>
    public async Task RevokeKeyAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"v1/keys/{Escape(id)}", cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The ledger, line by line as the service streams it: JSON Lines, one entry a line, or CSV with
    /// <see cref="LedgerQuery.Csv"/> (a header row first; a payload may span lines inside its quotes). Without a
    /// query, the whole ledger as JSON Lines.
    /// </summary>
    public async IAsyncEnumerable<string> LedgerAsync(
        LedgerQuery? query = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var path = "v1/audit/ledger" + (query ?? new LedgerQuery()).ToQueryString();
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            yield return line;
        }
    }

    /// <summary>The ledger's head (its last entry's seq, time and hash), to check a later export against.</summary>
    public Task<LedgerHeadResponse> GetLedgerHeadAsync(CancellationToken cancellationToken = default) =>
        SendAsync<LedgerHeadResponse>(HttpMethod.Get, "v1/audit/head", null, null, cancellationToken);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new AccountantProblemException($"{method} {path} answered an empty body");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        throw Problem(response.StatusCode, text);
    }

    private static AccountantProblemException Problem(HttpStatusCode status, string text)
    {
        ProblemBody? body = null;
        try
        {
            body = JsonSerializer.Deserialize<ProblemBody>(text, Json);
        }
        catch (JsonException)
        {
            // not a problem document (a proxy's error page, say): keep the status and the text
        }
        var errors = body?.Errors ?? new Dictionary<string, string[]>();
        var detail = body?.Detail ?? text;
        return body?.Type switch
        {
            "urn:accounting:problem:quota-exhausted" => new QuotaExhaustedException(status, body.Type, body.Title, detail, errors),
            "urn:accounting:problem:task-closed" => new TaskClosedException(status, body.Type, body.Title, detail, errors),
            _ => new AccountantProblemException(status, body?.Type, body?.Title, detail, errors),
        };
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static string Name(UnitKind kind) => JsonSerializer.Serialize(kind, Json).Trim('"');

    private sealed record ProblemBody(string? Type, string? Title, string? Detail, Dictionary<string, string[]>? Errors);
}
