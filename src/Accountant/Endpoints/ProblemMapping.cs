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
        ProblemKind.UnreachableTarget => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status409Conflict,
    };

    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (ToProblem(exception) is not { } problem)
        {
            return false;
        }
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
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = details,
            Exception = exception,
        }).ConfigureAwait(false);
    }

    /// <summary>The problem an exception stands for, or null for a fault of the service itself (a 500).</summary>
    public static ProblemException? ToProblem(Exception exception) => exception switch
    {
        ProblemException p => p,
        InvalidParameterException e => new ProblemException(ProblemKind.InvalidInput, e.Message,
            e.Errors.GroupBy(x => x.Field).ToDictionary(g => g.Key, g => g.Select(x => x.Message).ToArray())),
        UnreachableTargetException e => ProblemException.ForField(ProblemKind.UnreachableTarget, e.Field, e.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            ProblemException.ForField(ProblemKind.PayloadTooLarge, "body", $"the body is larger than this endpoint accepts"),
        BadHttpRequestException { InnerException: JsonException json } => FromJson(json),
        BadHttpRequestException { InnerException: NotSupportedException unsupported } => FromUnsupported(unsupported),
        BadHttpRequestException e => ProblemException.Invalid(e.Message.Contains("header", StringComparison.OrdinalIgnoreCase) ? "header" : "body", e.Message),
        JsonException json => FromJson(json),
        NotSupportedException unsupported when unsupported.Message.Contains("Path:", StringComparison.Ordinal) => FromUnsupported(unsupported),
        _ => null,
    };

    private static ProblemException FromJson(JsonException json)
    {
        var field = Field(json.Path);
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
        _ => kind.ToString(),
    };

    private static string Kebab(string name) => KebabBoundary().Replace(name, "-$1").ToLowerInvariant();

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex KebabBoundary();

    [GeneratedRegex(@"Path: (\$[^ |]*)")]
    private static partial Regex PathInMessage();
}
