using System.Text.Json;
using System.Text.RegularExpressions;
using Accounting.Accountant.Domain;
using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Validation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Accounting.Accountant.Endpoints;

/// <summary>
/// The one place where exceptions become RFC 9457 problems: a stable <c>type</c> per kind, the status, and the
/// offending fields under <c>errors</c> (JSON paths, as in the request).
/// </summary>
public sealed partial class ProblemMapping(IProblemDetailsService problems) : IExceptionHandler
{
    /// <summary>The stable type URI of a problem kind.</summary>
    public static string TypeOf(ProblemKind kind) => $"urn:accounting:problem:{Kebab(kind.ToString())}";

    /// <summary>The HTTP status of a problem kind.</summary>
    public static int StatusOf(ProblemKind kind) => kind switch
    {
        ProblemKind.InvalidInput => StatusCodes.Status400BadRequest,
        ProblemKind.NotFound => StatusCodes.Status404NotFound,
        ProblemKind.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ProblemKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,

        ProblemKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        ProblemKind.Forbidden => StatusCodes.Status403Forbidden,
        ProblemKind.RateLimited => StatusCodes.Status429TooManyRequests,
        ProblemKind.UnreachableTarget => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status409Conflict,
    };

    /// <summary>
    /// Gives problems that the framework writes on its own (a body over the limit, an unknown route) the same stable
    /// types and field errors as ours.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var details = context.ProblemDetails;
        if (details.Type?.StartsWith("urn:accounting:", StringComparison.Ordinal) == true)
        {
            return;
        }
        var (kind, field) = details.Status switch
        {
            StatusCodes.Status413PayloadTooLarge => (ProblemKind.PayloadTooLarge, "body"),
            StatusCodes.Status415UnsupportedMediaType => (ProblemKind.UnsupportedMediaType, "Content-Type"),
            StatusCodes.Status404NotFound => (ProblemKind.NotFound, "path"),
            StatusCodes.Status400BadRequest => (ProblemKind.InvalidInput, "body"),
            _ => ((ProblemKind?)null, ""),
        };
        if (kind is { } known)
        {
            details.Type = TypeOf(known);
            details.Title = Title(known);
            details.Detail ??= known == ProblemKind.NotFound ? $"no endpoint at {context.HttpContext.Request.Path}" : details.Title;
            details.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [details.Detail] };
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        // Only a JSON error needs the body again (to locate its field); an over-limit body must not be read at all.
        var body = exception is JsonException or BadHttpRequestException { InnerException: JsonException }
            ? await BufferedBodyAsync(httpContext.Request, cancellationToken).ConfigureAwait(false)
            : null;
        if (ToProblem(exception, body) is not { } problem)
        {
            return false;
        }
        return await problems.TryWriteAsync(Context(httpContext, problem, exception)).ConfigureAwait(false);
    }

    /// <summary>Answers with a problem outside the exception path (authentication, authorization, rate limiting).</summary>
    public static ValueTask WriteAsync(HttpContext httpContext, ProblemException problem)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(problem);
        return httpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(Context(httpContext, problem, null));
    }

    private static ProblemDetailsContext Context(HttpContext httpContext, ProblemException problem, Exception? exception)
    {
        var status = StatusOf(problem.Kind);
        httpContext.Response.StatusCode = status;
        var details = new ProblemDetails
        {
            Type = TypeOf(problem.Kind),
            Title = Title(problem.Kind),
            Status = status,
            Detail = problem.Message,
        };
        details.Extensions["errors"] = problem.Errors;
        return new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception };
    }

    /// <summary>
    /// The problem an exception stands for, or null for a fault of the service itself (a 500). With the request's
    /// <paramref name="body"/>, JSON errors name the exact field.
    /// </summary>
    public static ProblemException? ToProblem(Exception exception, byte[]? body = null) => exception switch
    {
        ProblemException p => p,
        InvalidParameterException e => new ProblemException(ProblemKind.InvalidInput, e.Message,
            e.Errors.GroupBy(x => x.Field).ToDictionary(g => g.Key, g => g.Select(x => x.Message).ToArray())),
        UnreachableTargetException e => ProblemException.ForField(ProblemKind.UnreachableTarget, e.Field, e.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            ProblemException.ForField(ProblemKind.PayloadTooLarge, "body", $"the body is larger than this endpoint accepts"),
        BadHttpRequestException { InnerException: JsonException json } => FromJson(json, body),
        BadHttpRequestException { InnerException: NotSupportedException unsupported } => FromUnsupported(unsupported),
        BadHttpRequestException e when UnboundParameter().Match(e.Message) is { Success: true } unbound =>
            ProblemException.Invalid(unbound.Groups[1].Value, $"\"{unbound.Groups[2].Value}\" is not a valid value"),
        BadHttpRequestException e => ProblemException.Invalid(e.Message.Contains("header", StringComparison.OrdinalIgnoreCase) ? "header" : "body", e.Message),
        JsonException json => FromJson(json, body),
        NotSupportedException unsupported when unsupported.Message.Contains("Path:", StringComparison.Ordinal) => FromUnsupported(unsupported),
        _ => null,
    };

    private static ProblemException FromJson(JsonException json, byte[]? body)
    {
        // Members the message names are placed under the object's path; other errors are located in the body.
        var missing = MissingMember().Match(json.Message);
        var field = missing.Success
            ? Join(Field(json.Path), missing.Groups[1].Value)
            : json.Message.Contains("type discriminator", StringComparison.Ordinal)
            ? Join(Field(json.Path), "type")
            : (body is not null && json.LineNumber is { } line && json.BytePositionInLine is { } position
                ? JsonErrorLocator.PathAt(body, line, position)
                : null) ?? Field(json.Path);
        // System.Text.Json's messages name .NET types; the path already says where, so say what is wrong in JSON terms.
        var message = json.Message.Split(" Path:")[0];
        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            message = "has the wrong JSON type or is out of range";
        }
        return ProblemException.Invalid(field, message.Length > 0 ? message : "malformed JSON");
    }

    // A missing "type" on an event (an abstract type) is reported as NotSupportedException with the path in the text.
    private static ProblemException FromUnsupported(NotSupportedException e)
    {
        var path = PathInMessage().Match(e.Message);
        var field = path.Success ? Field(path.Groups[1].Value) : "body";
        return ProblemException.Invalid(field.Length == 0 ? "body" : field, "a \"type\" member is required (e.g. \"gaussian\", \"poissonSampled\", \"epsilonDelta\")");
    }

    private static string Join(string parent, string member) => parent == "body" ? member : $"{parent}.{member}";

    // The body as received, when it was buffered (see EndpointConventions.UseBodyLimits), for locating JSON errors.
    private static async Task<byte[]?> BufferedBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.Body.CanSeek)
        {
            return null;
        }
        request.Body.Position = 0;
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        return copy.ToArray();
    }

    private static string Field(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$').TrimStart('.');

    private static string Title(ProblemKind kind) => kind switch
    {
        ProblemKind.InvalidInput => "Invalid input",
        ProblemKind.NotFound => "Not found",
        ProblemKind.QuotaExhausted => "The task's quota does not admit this step",
        ProblemKind.IdempotencyConflict => "Idempotency conflict",
        ProblemKind.StepConflict => "Not the task's next step",
        ProblemKind.TaskClosed => "The task takes no charges",
        ProblemKind.Conflict => "Conflict",
        ProblemKind.UnreachableTarget => "The target cannot be met",
        ProblemKind.PayloadTooLarge => "Body too large",
        ProblemKind.UnsupportedMediaType => "The body must be application/json",
        ProblemKind.Unauthenticated => "A valid API key is required",
        ProblemKind.Forbidden => "The key's role may not do this",
        ProblemKind.RateLimited => "Too many requests",
        _ => kind.ToString(),
    };

    private static string Kebab(string name) => KebabBoundary().Replace(name, "-$1").ToLowerInvariant();

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex KebabBoundary();

    [GeneratedRegex("missing required properties including: '([^']+)'")]
    private static partial Regex MissingMember();

    [GeneratedRegex(@"Path: (\$[^ |]*)")]
    private static partial Regex PathInMessage();

    // A query or route value the framework could not convert: 'Failed to bind parameter "Nullable<long> after" from "abc".'
    [GeneratedRegex(@"^Failed to bind parameter ""[^""]* (\w+)"" from ""(.*)""\.$")]
    private static partial Regex UnboundParameter();
}
