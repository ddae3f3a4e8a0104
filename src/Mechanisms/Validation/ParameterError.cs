namespace Accounting.Mechanisms.Validation;

/// <summary>One reason an input cannot be accounted, naming the offending field by its JSON path (e.g. <c>event.events[1].noiseMultiplier</c>).</summary>
public sealed record ParameterError(string Field, string Message);

/// <summary>Thrown when an event, plan or target is invalid or unsupported; carries every error found.</summary>
public sealed class InvalidParameterException(IReadOnlyList<ParameterError> errors)
    : ArgumentException(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    /// <summary>Every error found, each naming its field.</summary>
    public IReadOnlyList<ParameterError> Errors { get; } = errors;

    /// <summary>Throws when <paramref name="errors"/> is not empty.</summary>
    public static void ThrowIfAny(IReadOnlyList<ParameterError> errors)
    {
        if (errors.Count > 0)
        {
            throw new InvalidParameterException(errors);
        }
    }
}
