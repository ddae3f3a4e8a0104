namespace Accounting.Accountant.Domain;

/// <summary>
/// A request the accountant answers with an RFC 9457 problem: a stable kind, a status, and the offending fields.
/// Thrown by the domain and turned into ProblemDetails in one place (Endpoints/ProblemMapping).
/// </summary>
public sealed class ProblemException(ProblemKind kind, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    : Exception(detail)
{
    /// <summary>What went wrong.</summary>
    public ProblemKind Kind { get; } = kind;

    /// <summary>Messages by JSON path of the offending field.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors ?? new Dictionary<string, string[]>();

    /// <summary>A problem about one field.</summary>
    public static ProblemException ForField(ProblemKind kind, string field, string message) =>
        new(kind, $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>Invalid input: a 400 naming the field.</summary>
    public static ProblemException Invalid(string field, string message) => ForField(ProblemKind.InvalidInput, field, message);

    /// <summary>An unknown id: a 404 naming what was looked up.</summary>
    public static ProblemException NotFound(string what, string id) =>
        ForField(ProblemKind.NotFound, what, $"no {what} with id '{id}'");
}

/// <summary>The kinds of problem, each with a stable type URI and HTTP status.</summary>
public enum ProblemKind
{
    /// <summary>400: a field is missing, malformed or out of range.</summary>
    InvalidInput,

    /// <summary>404: an id names nothing.</summary>
    NotFound,

    /// <summary>409: the task's quota does not admit the step.</summary>
    QuotaExhausted,

    /// <summary>409: an idempotency key or step index was reused with a different request.</summary>
    IdempotencyConflict,

    /// <summary>409: a step index that is not the next one.</summary>
    StepConflict,

    /// <summary>409: the task no longer takes charges (completed, exhausted, cancelled).</summary>
    TaskClosed,

    /// <summary>409: the resource already exists or cannot change in this way.</summary>
    Conflict,

    /// <summary>422: the input is valid but no calibration meets the target.</summary>
    UnreachableTarget,

    /// <summary>413: the body is larger than the endpoint accepts.</summary>
    PayloadTooLarge,

    /// <summary>415: the body is not declared as JSON.</summary>
    UnsupportedMediaType,

    /// <summary>401: no API key, or one that is malformed, unknown or revoked.</summary>
    Unauthenticated,

    /// <summary>403: the key's role may not do this.</summary>
    Forbidden,

    /// <summary>429: the caller's request rate is over its limit.</summary>
    RateLimited,
}
