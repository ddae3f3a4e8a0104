using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Accounting.Mechanisms.Events;

namespace Accounting.Accountant.Tests.Infrastructure;

/// <summary>JSON over HTTP as a trainer speaks it, with problems surfaced as <see cref="ApiProblemException"/>.</summary>
public sealed class Api(HttpClient client) : IDisposable
{
    /// <summary>The API's JSON options (camelCase, events with a type discriminator).</summary>
    public static JsonSerializerOptions Json => EventJson.Options;

    /// <summary>The underlying client.</summary>
    public HttpClient Client => client;

    /// <summary>POSTs <paramref name="body"/> and reads a success answer, or throws the problem.</summary>
    public Task<T> PostAsync<T>(string path, object body, string? idempotencyKey = null) =>
        SendAsync<T>(HttpMethod.Post, path, body, idempotencyKey);

    /// <summary>PUTs <paramref name="body"/> and reads a success answer, or throws the problem.</summary>
    public Task<T> PutAsync<T>(string path, object body) => SendAsync<T>(HttpMethod.Put, path, body, null);

    /// <summary>GETs a success answer, or throws the problem.</summary>
    public Task<T> GetAsync<T>(string path) => SendAsync<T>(HttpMethod.Get, path, null, null);

    /// <summary>Sends raw text and returns the status and the parsed body (if JSON), whatever they are.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> RawAsync(
        HttpMethod method, string path, string? json, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        var response = await client.SendAsync(request).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        var isJson = response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) == true; // not JSON Lines, not text
        var body = text.Length == 0 || !isJson ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, body, response);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, string? idempotencyKey)
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
        using var response = await client.SendAsync(request).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            throw new ApiProblemException(response.StatusCode, problem);
        }
        return (await response.Content.ReadFromJsonAsync<T>(Json).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public void Dispose() => client.Dispose();
}

/// <summary>A non-success answer with its RFC 9457 body.</summary>
public sealed class ApiProblemException(HttpStatusCode status, string body) : Exception($"{(int)status}: {body}")
{
    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>The problem's <c>type</c>.</summary>
    public string? Type => Parsed.TryGetProperty("type", out var t) ? t.GetString() : null;

    /// <summary>The fields named under <c>errors</c>.</summary>
    public IReadOnlyList<string> Fields =>
        Parsed.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object ? [.. e.EnumerateObject().Select(p => p.Name)] : [];

    private JsonElement Parsed => JsonDocument.Parse(body).RootElement;
}
