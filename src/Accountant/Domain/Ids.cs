using System.Buffers;

namespace Accounting.Accountant.Domain;

/// <summary>Rules for client-chosen ids (units, cohorts, tasks).</summary>
public static class Ids
{
    /// <summary>Longest id accepted.</summary>
    public const int MaxLength = 128;

    // What char.IsControl accepts (Unicode category Cc), and '%': found with one vectorised search per id, which a
    // 1,000-unit request makes a thousand of.
    private static readonly SearchValues<char> Refused = SearchValues.Create(
        [.. Enumerable.Range(0, 0x10000).Select(c => (char)c).Where(c => char.IsControl(c) || c == '%')]);

    /// <summary>Why <paramref name="id"/> is not a valid id, or null when it is.</summary>
    public static string? Problem(string? id) => id switch
    {
        null or "" => "must be a non-empty string",
        { Length: > MaxLength } => $"must be at most {MaxLength} characters",
        _ when id.AsSpan().ContainsAny(Refused) => id.Any(char.IsControl)
            ? "must not contain control characters"
            : "must not contain '%' (in a URL path an id's '/' is sent as %2F)",
        _ when char.IsWhiteSpace(id[0]) || char.IsWhiteSpace(id[^1]) => "must not start or end with white space", // what Trim removes
        _ => null,
    };

    /// <summary>Throws a 400 naming <paramref name="field"/> unless <paramref name="id"/> is valid.</summary>
    public static string Require(string? id, string field) =>
        Problem(id) is { } problem ? throw ProblemException.Invalid(field, problem) : id!;

    /// <summary>Checks a list of ids (naming the first bad one by index), returning it without duplicates.</summary>
    public static IReadOnlyList<string> RequireAll(IReadOnlyList<string>? ids, string field, int maxCount)
    {
        if (ids is null)
        {
            throw ProblemException.Invalid(field, "a list of ids is required");
        }
        if (ids.Count > maxCount)
        {
            throw ProblemException.Invalid(field, $"at most {maxCount} ids per request");
        }
        for (var i = 0; i < ids.Count; i++)
        {
            Require(ids[i], $"{field}[{i}]");
        }
        return [.. ids.Distinct(StringComparer.Ordinal)];
    }
}
