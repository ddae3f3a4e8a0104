using System.Net;

namespace Accounting.TrainerAdapters.Client;

/// <summary>An RFC 9457 problem answered by the accountant: its stable type, status, and the offending fields.</summary>
public class AccountantProblemException : Exception
{
    /// <summary>A problem from its parts.</summary>
    public AccountantProblemException(HttpStatusCode status, string? type, string? title, string? detail, IReadOnlyDictionary<string, string[]> errors)
        : base($"{(int)status} {title}: {detail}")
    {
        Status = status;
        Type = type;
        Title = title;
        Detail = detail;
        Errors = errors;
    }

    /// <summary>Creates an empty problem (for serializers and tests).</summary>
    public AccountantProblemException()
        : this(HttpStatusCode.InternalServerError, null, null, null, new Dictionary<string, string[]>())
    {
    }

    /// <summary>Creates a problem with a message only.</summary>
    public AccountantProblemException(string message)
        : base(message) => Errors = new Dictionary<string, string[]>();

    /// <summary>Creates a problem with a message and a cause.</summary>
    public AccountantProblemException(string message, Exception innerException)
        : base(message, innerException) => Errors = new Dictionary<string, string[]>();

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The stable problem type, e.g. <c>urn:accounting:problem:quota-exhausted</c>.</summary>
    public string? Type { get; }

    /// <summary>The problem's title.</summary>
    public string? Title { get; }

    /// <summary>What went wrong, in words.</summary>
    public string? Detail { get; }

    /// <summary>Messages by JSON path of the offending field.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }
}

/// <summary>The task's quota does not admit the step (409): the task cannot go on as planned.</summary>
public sealed class QuotaExhaustedException(HttpStatusCode status, string? type, string? title, string? detail, IReadOnlyDictionary<string, string[]> errors)
    : AccountantProblemException(status, type, title, detail, errors);

/// <summary>The task is completed, exhausted or cancelled (409): it takes no charges.</summary>
public sealed class TaskClosedException(HttpStatusCode status, string? type, string? title, string? detail, IReadOnlyDictionary<string, string[]> errors)
    : AccountantProblemException(status, type, title, detail, errors);
